/** Looks an element up by id; the page's skeleton is static HTML, so a missing id is a bug. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

type Child = Node | string | null | undefined | false;

/** A tiny element builder: h('td', { class: 'up' }, '1.5'). Text is always set as text, never as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | ((event: Event) => void)> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** Replaces a table body's rows, or shows one muted row when there is nothing to list. */
export function rows(body: HTMLElement, list: HTMLTableRowElement[], empty: string, columns: number): void {
  body.replaceChildren(...(list.length ? list : [h('tr', { class: 'empty' }, h('td', { colspan: String(columns) }, empty))]));
}
