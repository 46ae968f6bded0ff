# Draws the Switchboard diamond as PNGs (app icon and tray images) without external tools.
# Run from the repository root: python3 assets/drawIcons.py
import zlib, struct, sys
def png(path, size, bg, fg, hole, radius_frac=0.22, transparent_bg=False):
    rows = []
    c = (size - 1) / 2
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            # rounded-square background
            r = size * radius_frac
            dx = max(abs(x - c) - (c - r), 0); dy = max(abs(y - c) - (c - r), 0)
            inside_bg = (dx * dx + dy * dy) <= r * r
            d = abs(x - c) + abs(y - c)
            if d <= size * 0.36 and (x - c) ** 2 + (y - c) ** 2 > (size * 0.11) ** 2:
                px = fg
            elif d <= size * 0.36:
                px = hole
            elif inside_bg and not transparent_bg:
                px = bg
            else:
                px = (0, 0, 0, 0)
            row += bytes(px)
        rows.append(bytes(row))
    raw = b''.join(rows)
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
    open(path, 'wb').write(data)
png('assets/icon.png', 512, (20, 22, 27, 255), (110, 168, 254, 255), (20, 22, 27, 255))
png('assets/tray.png', 32, (0,0,0,0), (110, 168, 254, 255), (0, 0, 0, 0), transparent_bg=True)
png('assets/trayTemplate.png', 32, (0,0,0,0), (0, 0, 0, 255), (0, 0, 0, 0), transparent_bg=True)
