/**
 * Element builders. Attributes go through setAttribute and text through text
 * nodes: nothing from the data is ever parsed as HTML.
 */
export type Attrs = Record<string, string | number | boolean | null | undefined>;
export type Child = Node | string | number | null | undefined | false | Child[];

const doc = document;
// Taken from the inline chart so the page itself carries no URL.
let svgNs: string | null = null;

function build<T extends Element>(node: T, attrs: Attrs | null, kids: Child[]): T {
  if (attrs)
    for (const k in attrs) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') node.textContent = String(v);
      else node.setAttribute(k, String(v));
    }
  for (const c of kids) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) build(node, null, c);
    else node.appendChild(typeof c === 'object' ? c : doc.createTextNode(String(c)));
  }
  return node;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...kids: Child[]): HTMLElementTagNameMap[K] {
  return build(doc.createElement(tag), attrs, kids);
}

export function svg(tag: string, attrs: Attrs | null = null, ...kids: Child[]): SVGElement {
  svgNs ??= byId('overview').namespaceURI!;
  return build(doc.createElementNS(svgNs, tag) as SVGElement, attrs, kids);
}

export function byId<T extends HTMLElement | SVGElement = HTMLElement>(id: string): T {
  const node = doc.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as unknown as T;
}

/** Marks the header of the sorted column (`aria-sort`, which the CSS draws as an arrow). */
export function markSorted(heads: readonly Element[], key: string, dir: number): void {
  for (const h of heads) {
    if (h.getAttribute('data-key') === key) h.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    else h.removeAttribute('aria-sort');
  }
}
