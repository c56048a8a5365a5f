/**
 * A shop's colour on customer pages and in emails, checked for contrast (WCAG 2.2: 4.5:1 for text,
 * 3:1 for focus rings and controls). A colour too light to read on white is darkened until it reads.
 */

const channel = (hex: string, at: number): number => parseInt(hex.slice(at, at + 2), 16);

/** WCAG relative luminance of #rrggbb. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const c = channel(hex, at) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const hex2 = (n: number): string =>
  Math.max(0, Math.min(255, Math.round(n)))
    .toString(16)
    .padStart(2, '0');

/** The colour itself when white text on it and it on white read at 4.5:1; else the nearest darker shade that does. */
export function readableOnWhite(color: string, minimum = 4.5): string {
  let shade = color.toLowerCase();
  for (let step = 0; contrastRatio(shade, '#ffffff') < minimum && step < 100; step++) {
    shade = `#${[1, 3, 5].map((at) => hex2(channel(shade, at) * 0.95)).join('')}`;
  }
  return shade;
}
