// The data map: every active flow as of the date, holders as boxes and
// transfers as arrows labelled with their categories, filterable by
// category, purpose and country, downloadable as SVG. One GraphQL request:
// the flows the hub finds adequately protected and those it does not, as
// two aliased dataFlows fields, which colours each arrow by the hub's own
// answer. A map too large to read is drawn country by country.

import { gql } from '../api.js';
import * as Q from '../queries.js';
import { draw, legend, protection, serialize, worse } from '../draw.js';
import { downloadLink, el, empty } from '../ui.js';

const MAX_HOLDER_EDGES = 250;

export async function render(main, ctx) {
  const p = ctx.params;
  const category = p.get('category') || '', purpose = p.get('purpose') || '', country = p.get('country') || '';
  const byCountry = p.get('view') === 'countries';
  const base = {};
  if (category) base.categoryIDs = [category];
  if (purpose) base.purposeIDs = [purpose];
  if (country) base.countryIDs = [country];
  const { data } = await gql(Q.DataMap, { at: ctx.atTime, ok: { ...base, adequate: true }, bad: { ...base, adequate: false } });
  if (ctx.stale()) return;

  const flows = [
    ...data.adequate.edges.map((e) => ({ ...e, cls: protection(e, true) })),
    ...data.inadequate.edges.map((e) => ({ ...e, cls: protection(e, false) })),
  ];
  const countries = flows.length > MAX_HOLDER_EDGES || byCountry;
  const nodes = new Map();
  const edges = new Map();
  for (const f of flows) {
    let from, to;
    if (countries) {
      from = { id: 'cty:' + f.exporter.country.code, label: f.exporter.country.name, sub: f.exporter.country.code, kind: 'Country' };
      to = { id: 'cty:' + f.country.code, label: f.country.name, sub: f.country.code, kind: 'Country' };
    } else {
      from = { id: f.exporter.id, label: f.exporter.name, sub: f.exporter.country.name, kind: f.exporter.__typename };
      to = { id: f.importer.id, label: f.importer.name, sub: f.country.name + ' (' + f.country.code + ')', kind: f.importer.__typename };
    }
    if (!nodes.has(from.id)) nodes.set(from.id, from);
    if (!nodes.has(to.id)) nodes.set(to.id, to);
    const key = from.id + '>' + to.id;
    const cats = f.categories.map((c) => c.key);
    const e = edges.get(key);
    if (e) {
      e.cls = worse(e.cls, f.cls);
      e.n++;
      cats.forEach((c) => e.cats.add(c));
    } else {
      edges.set(key, { from: from.id, to: to.id, cls: f.cls, n: 1, cats: new Set(cats), mech: f.mechanism });
    }
  }
  for (const e of edges.values()) {
    const cats = [...e.cats].sort();
    e.label = countries ? `${e.n} flow${e.n > 1 ? 's' : ''}` : cats.join(', ');
    e.title = `${e.n} flow${e.n > 1 ? 's' : ''}: ${cats.join(', ')}` + (countries ? '' : ` (${e.mech})`);
  }
  const title = `privhub data map as of ${ctx.at}` + (countries ? ', by country' : '');
  const picture = draw([...nodes.values()], [...edges.values()], { title, maxLabels: 120 });
  const filename = `privhub-datamap-${ctx.at}.svg`;

  const form = el('form', { class: 'filters', id: 'datamap-filters' },
    el('label', {}, 'Category', el('select', { name: 'category' }, el('option', { value: '' }, 'Any'),
      data.dataCategories.edges.map(({ node: c }) => el('option', { value: c.id, selected: c.id === category }, c.key)))),
    el('label', {}, 'Purpose', el('select', { name: 'purpose' }, el('option', { value: '' }, 'Any'),
      data.purposes.edges.map(({ node: c }) => el('option', { value: c.id, selected: c.id === purpose }, c.name)))),
    el('label', {}, 'Country of the importer', el('select', { name: 'country' }, el('option', { value: '' }, 'Any'),
      data.countries.edges.map(({ node: c }) => el('option', { value: c.id, selected: c.id === country }, `${c.name} (${c.code})`)))),
    el('label', {}, 'Draw', el('select', { name: 'view' },
      el('option', { value: '', selected: !byCountry }, 'holders (countries when large)'),
      el('option', { value: 'countries', selected: byCountry }, 'countries'))),
    el('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(form);
    ctx.navigate('datamap', { category: f.get('category'), purpose: f.get('purpose'), country: f.get('country'), view: f.get('view') });
  });
  form.querySelectorAll('select').forEach((s) => s.addEventListener('change', () => form.requestSubmit()));

  main.replaceChildren(
    el('h1', {}, 'Data map'),
    form,
    el('p', { id: 'datamap-summary' }, `${flows.length} active flows between ${nodes.size} ${countries ? 'countries' : 'holders'} as of ${ctx.at}.`,
      countries && !byCountry ? ' Too many to read holder by holder: drawn by country; narrow the filters to see holders.' : ''),
    legend(),
    flows.length === 0 ? empty('No flow matches.') : el('div', { class: 'picture', id: 'datamap-picture' }, picture),
    el('p', {}, downloadLink('Download SVG', filename, 'image/svg+xml', serialize(picture))),
  );
  main.querySelector('a[download]').id = 'datamap-download';
}
