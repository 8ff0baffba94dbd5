/**
 * What the components show in their shadow roots, written as DOM and kept up by changing only what differs:
 * an element that stays (a live region) is never replaced, so screen readers announce its new text. Text
 * is always set as text, never parsed as markup: nothing a merchant types can become markup.
 */

type Child = Node | string | false | null | undefined;

/** An element with these attributes (`part`, `role`…) and children; empty and false children are left out. */
export function part(tag: string, attributes: Record<string, string>, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children.filter((child): child is Node | string => !!child));
  return element;
}

/** Whether `now` can stay in place of `wanted`: the same text node kind, or the same tag with the same attributes. */
function sameShell(now: ChildNode, wanted: Node): boolean {
  if (now.nodeType !== wanted.nodeType) return false;
  if (!(now instanceof Element) || !(wanted instanceof Element)) return now.nodeType === Node.TEXT_NODE;
  const names = wanted.getAttributeNames();
  return (
    now.tagName === wanted.tagName && now.attributes.length === names.length && names.every((name) => now.getAttribute(name) === wanted.getAttribute(name))
  );
}

/** Makes `parent`'s children read as `nodes`, keeping the nodes already there when their shell is the same. */
export function showIn(parent: ParentNode, nodes: Node[]): void {
  const now = parent.childNodes;
  if (now.length !== nodes.length || !nodes.every((node, i) => sameShell(now[i]!, node))) return parent.replaceChildren(...nodes);
  nodes.forEach((node, i) => {
    const kept = now[i]!;
    if (kept instanceof Element) showIn(kept, [...node.childNodes]);
    else if (kept.textContent !== node.textContent) kept.textContent = node.textContent;
  });
}
