// Vite bundles CSS imports; the compiler only needs to know they exist.
declare module '*.css';
