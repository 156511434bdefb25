import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { projectRoot } from '../../src/paths';

// The Teams app's icons: `color` "a full color 192x192 PNG icon", `outline` "a transparent 32x32
// PNG outline icon. The border color must be white."
// https://learn.microsoft.com/microsoft-365/extensibility/schema/root-icons
// (and https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package#app-icons)

interface Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, rows top to bottom. */
  rgba: Buffer;
}

/** Decodes an 8-bit RGBA, non-interlaced PNG (what scripts/make-icons.js writes). */
function decodePng(file: string): Image {
  const b = fs.readFileSync(file);
  assert.equal(b.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${file} is a PNG`);
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  for (let o = 8; o < b.length;) {
    const length = b.readUInt32BE(o);
    const type = b.toString('ascii', o + 4, o + 8);
    const chunk = b.subarray(o + 8, o + 8 + length);
    if (type === 'IHDR') {
      width = chunk.readUInt32BE(0);
      height = chunk.readUInt32BE(4);
      assert.deepEqual([chunk[8], chunk[9], chunk[12]], [8, 6, 0], 'this reader knows 8-bit RGBA, not interlaced');
    } else if (type === 'IDAT') data.push(chunk);
    o += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(data));
  const stride = width * 4;
  const rgba = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const upLeft = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const p = left + up - upLeft;
      const paeth =
        Math.abs(p - left) <= Math.abs(p - up) && Math.abs(p - left) <= Math.abs(p - upLeft)
          ? left
          : Math.abs(p - up) <= Math.abs(p - upLeft)
            ? up
            : upLeft;
      const predictor = [0, left, up, (left + up) >> 1, paeth][filter];
      assert.ok(predictor !== undefined, `PNG filter ${filter}`);
      rgba[y * stride + x] = (raw[y * (stride + 1) + 1 + x]! + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

const icon = (name: string): Image => decodePng(path.join(projectRoot(), 'manifest', name));

/** The icon files the manifest names: the ones Teams shows, whatever they are called. */
const namedIcons = (): { color: string; outline: string } =>
  (
    JSON.parse(fs.readFileSync(path.join(projectRoot(), 'manifest', 'manifest.json'), 'utf8')) as {
      icons: { color: string; outline: string };
    }
  ).icons;

describe('deploy: the Teams app icons', () => {
  it('has a 192x192 color icon and a 32x32 outline icon, the files the manifest names', () => {
    const names = namedIcons();
    const color = icon(names.color);
    const outline = icon(names.outline);
    assert.deepEqual([color.width, color.height], [192, 192]);
    assert.deepEqual([outline.width, outline.height], [32, 32]);
  });

  it('draws the outline icon in white on a transparent background', () => {
    // The file the manifest names, not a fixed name: another file named there is the one Teams shows.
    const { rgba } = icon(namedIcons().outline);
    let transparent = 0;
    let white = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      const [r, g, b, a] = [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!, rgba[i + 3]!];
      if (a === 0) transparent++;
      else {
        assert.deepEqual([r, g, b], [255, 255, 255], `pixel ${i / 4} is white or transparent`);
        white++;
      }
    }
    // The corners are background: transparent, as the page asks.
    for (const corner of [0, 31, 32 * 31, 32 * 32 - 1]) assert.equal(rgba[corner * 4 + 3], 0, `corner ${corner}`);
    assert.ok(transparent > 0 && white > 0, 'a white drawing on a transparent background');
  });
});
