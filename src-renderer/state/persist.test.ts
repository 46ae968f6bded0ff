// Issue 13: the window's arrangement survives a reload; stored data that is bad, old or stale is ignored.
import { describe, expect, it } from 'vitest';
import {
  parseWindow,
  restoreFolded,
  restoreLayout,
  restoreModes,
  serializeWindow,
  type SavedWindow,
} from './persist.js';

const saved: Omit<SavedWindow, 'version'> = {
  layout: { open: ['a', 'b', 'c'], slots: ['c', 'a'], focused: 1, grid: 2 },
  modes: { a: 'observe', b: 'drive', gone: 'drive' },
  view: 'graph',
  graphViewport: { x: -120, y: 40.5, zoom: 0.8 },
  graph: { hideFinished: true, hideIdle: false, groupByRepo: true, collapsed: ['lead', 'gone'] },
};

describe('window state (de)serialisation', () => {
  it('round-trips the arrangement', () => {
    expect(parseWindow(serializeWindow(saved))).toEqual({ version: 1, ...saved });
  });

  it.each([
    ['nothing stored', null],
    ['not JSON', '{"version":1,'],
    ['not an object', '42'],
    ['an older version', JSON.stringify({ ...saved, version: 0 })],
    ['a bad grid', JSON.stringify({ version: 1, ...saved, layout: { ...saved.layout, grid: 3 } })],
    ['a bad mode', JSON.stringify({ version: 1, ...saved, modes: { a: 'own' } })],
    ['a missing field', JSON.stringify({ version: 1, layout: saved.layout, modes: {}, view: 'terminals' })],
    ['a negative zoom', JSON.stringify({ version: 1, ...saved, graphViewport: { x: 0, y: 0, zoom: -1 } })],
    [
      'too many tabs',
      JSON.stringify({ version: 1, ...saved, layout: { ...saved.layout, open: Array(65).fill('x') } }),
    ],
  ])('ignores %s', (_what, text) => {
    expect(parseWindow(text)).toBeUndefined();
  });

  it('drops panes whose session is gone and keeps the slots consistent with the grid', () => {
    const layout = restoreLayout(
      { open: ['a', 'b', 'a', 'gone'], slots: ['gone', 'b', 'a', 'a'], focused: 3, grid: 2 },
      (pane) => pane !== 'gone',
    );
    expect(layout).toEqual({ open: ['a', 'b'], slots: [null, 'b'], focused: 0, grid: 2 });
  });

  it('fills missing slots with empty ones and never shows a pane twice', () => {
    expect(restoreLayout({ open: ['a'], slots: ['a', 'a'], focused: 0, grid: 4 }, () => true)).toEqual({
      open: ['a'],
      slots: ['a', null, null, null],
      focused: 0,
      grid: 4,
    });
  });

  it('keeps the modes of open panes only', () => {
    expect(restoreModes(saved.modes, ['a', 'b'])).toEqual({ a: 'observe', b: 'drive' });
  });
});

describe('the graph view settings in the window state', () => {
  const { graph: _graph, ...withoutGraph } = saved;

  it('round-trips filters, grouping and folded subtrees', () => {
    expect(parseWindow(serializeWindow(saved))?.graph).toEqual({
      hideFinished: true,
      hideIdle: false,
      groupByRepo: true,
      collapsed: ['lead', 'gone'],
    });
  });

  it('restores the rest of a window stored before the graph settings were kept', () => {
    const parsed = parseWindow(JSON.stringify({ version: 1, ...withoutGraph }));
    expect(parsed).toEqual({ version: 1, ...withoutGraph });
    expect(parsed?.graph).toBeUndefined();
  });

  it.each([
    ['a filter that is not a boolean', { ...saved.graph, hideFinished: 'yes' }],
    ['a missing filter', { hideIdle: true, groupByRepo: false, collapsed: [] }],
    ['folds that are not a list', { ...saved.graph, collapsed: 'lead' }],
    ['an empty node id', { ...saved.graph, collapsed: [''] }],
    ['too many folds', { ...saved.graph, collapsed: Array.from({ length: 501 }, (_, i) => `s${i}`) }],
  ])('drops %s and keeps the rest of the window', (_what, graph) => {
    const parsed = parseWindow(JSON.stringify({ version: 1, ...withoutGraph, graph }));
    expect(parsed).toBeDefined();
    expect(parsed!.graph).toBeUndefined();
    expect(parsed!.layout).toEqual(saved.layout);
    expect(parsed!.graphViewport).toEqual(saved.graphViewport);
  });

  it('folds only the nodes still there', () => {
    expect([...restoreFolded(['lead', 'gone', 'owner'], (node) => node !== 'gone')]).toEqual([
      'lead',
      'owner',
    ]);
  });
});
