import { type DefaultTreeAdapterMap, parse } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
export type Element = DefaultTreeAdapterMap['element'];

/** The page as a browser would parse it (parse5 implements the WHATWG algorithm). */
export function parsePage(html: string) {
  const root = parse(html);
  const elements: Element[] = [];
  const walk = (node: Node) => {
    if ('tagName' in node) elements.push(node);
    if ('childNodes' in node) node.childNodes.forEach(walk);
    // <template> contents live apart from its children.
    if ('content' in node && node.content) walk(node.content as Node);
  };
  walk(root);

  const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
  const text = (el: Element): string =>
    el.childNodes.map((c) => ('value' in c ? c.value : 'tagName' in c ? text(c) : '')).join('');
  const all = (tag: string) => elements.filter((e) => e.tagName === tag);
  const one = (tag: string) => {
    const found = all(tag);
    if (found.length !== 1) throw new Error(`expected one <${tag}>, found ${found.length}`);
    return found[0] as Element;
  };
  /** Every <meta property|name=...> as key -> content; a key given twice is an error. */
  const metas = () => {
    const map = new Map<string, string>();
    for (const m of all('meta')) {
      const key = attr(m, 'property') ?? attr(m, 'name');
      if (!key) continue;
      if (map.has(key)) throw new Error(`meta ${key} appears twice`);
      map.set(key, attr(m, 'content') ?? '');
    }
    return map;
  };
  return { elements, all, one, attr, text, metas };
}
