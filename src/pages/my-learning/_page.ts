/** Finding My learning's parts: each one the page's markup must have. */

/** The element matching `selector`. @throws Error naming the selector when the markup lacks it */
export const $ = <T extends Element = HTMLElement>(selector: string): T => {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`My learning page is missing ${selector}`);
  return element;
};

/** An element with text, made in one step. */
export const make = <K extends keyof HTMLElementTagNameMap>(tag: K, properties: Partial<HTMLElementTagNameMap[K]> = {}): HTMLElementTagNameMap[K] =>
  Object.assign(document.createElement(tag), properties);
