/* global document, Node */
// DOM helpers. Text is always set through textContent (never innerHTML): API values are data.

/** Creates an element; `props` may hold className, text, dataset and attributes (attrs). */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  for (const [k, v] of Object.entries(props.dataset ?? {})) node.dataset[k] = String(v);
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, String(v));
  for (const child of children) if (child) node.append(child);
  return node;
}

/**
 * Handle on one dashboard section (`<section id="section-…">` holding a `[data-status]` line).
 * The section's state is mirrored in `data-state` (loading | ready | empty | error) for tests and CSS.
 */
export function sectionHandle(name) {
  const root = document.getElementById(`section-${name}`);
  if (!root) throw new Error(`section-${name} absente de la page`);
  const status = root.querySelector('[data-status]');
  const set = (state, message, cssClass) => {
    root.dataset.state = state;
    root.classList.toggle('is-unavailable', state === 'error' || state === 'empty');
    status.className = `status${cssClass ? ` ${cssClass}` : ''}`;
    status.textContent = message;
  };
  return {
    name,
    root,
    /** Data drawn; `note` is an optional caption (e.g. "échantillon de 5 000 clients"). */
    ready(note = '') {
      set('ready', note, '');
    },
    empty(message = 'Aucune donnée pour cette section.') {
      set('empty', message, 'status-empty');
    },
    error(message) {
      set('error', message, 'status-error');
    },
  };
}

/**
 * Renders a table into `container`. `columns`: `{ label, value(row) → string, numeric? }`.
 */
export function renderTable(container, columns, rows) {
  const head = el('tr', {}, columns.map((c) => el('th', { text: c.label, className: c.numeric ? 'num' : '', attrs: { scope: 'col' } })));
  const body = rows.map((row) =>
    el(
      'tr',
      {},
      columns.map((c) => {
        const value = c.value(row);
        return value instanceof Node ? el('td', {}, [value]) : el('td', { text: value, className: c.numeric ? 'num' : '' });
      }),
    ),
  );
  container.replaceChildren(el('table', {}, [el('thead', {}, [head]), el('tbody', {}, body)]));
}
