// What every page must pass: each control has a name, the text meets WCAG
// AA contrast, and nothing is wider than the screen.

// Controls without a name a screen reader can say.
export async function unlabelledControls(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        const labelled = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label');
        const text = el.tagName === 'BUTTON' && el.textContent.trim();
        return !labelled && !text;
      })
      .map((el) => el.outerHTML.slice(0, 120)));
}

// Every visible piece of text whose contrast with the background behind it is
// below WCAG 2.1 AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
// The background is the nearest ancestor's opaque background colour.
export async function lowContrastText(page) {
  return page.evaluate(() => {
    const rgb = (colour) => {
      const m = colour.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const luminance = ({ r, g, b }) => {
      const lin = (c) => {
        const s = c / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const backgroundOf = (el) => {
      for (let at = el; at; at = at.parentElement) {
        const c = rgb(getComputedStyle(at).backgroundColor);
        if (c && c.a > 0.5) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const el = node.parentElement;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden' || el.closest('.sr-only, .skip')) continue;
      const fg = rgb(style.color);
      const bg = backgroundOf(el);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) found.push(`${ratio.toFixed(2)}:1 ${el.tagName.toLowerCase()}.${el.className} "${node.textContent.trim().slice(0, 30)}"`);
    }
    return found;
  });
}

export async function widerThanScreen(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}
