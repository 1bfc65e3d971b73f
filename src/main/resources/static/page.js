// The capacity-planner page: a client of /api/v1 only. Every number shown comes from an answer of the API.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const GIB = 1073741824;

  // form controls by the short name used in the shareable URL
  const CONTROLS = {
    model: 'model-preset', gpu: 'gpu', gpus: 'gpu-count', perNode: 'gpus-per-node',
    precision: 'precision', optimizer: 'optimizer', zero: 'zero-stage', recompute: 'recomputation',
    attention: 'attention', sp: 'sequence-parallel', seq: 'sequence-length', micro: 'micro-batch',
    global: 'global-batch', dp: 'data-degree', tp: 'tensor-degree', pp: 'pipeline-degree', cp: 'context-degree',
    ep: 'expert-degree', vp: 'virtual-pipeline-degree'
  };
  const INTEGER_FIELDS = ['gpus', 'perNode', 'seq', 'micro', 'global', 'dp', 'tp', 'pp', 'cp', 'ep', 'vp'];

  const MEMORY_COLORS = {
    weights: '#3b6fb6', gradients: '#e08a2e', optimizer: '#4f9a55', transient: '#b84a4a', framework: '#8a8a8a'
  };
  const PARALLELISM_COLORS = {
    DATA: '#3b6fb6', TENSOR: '#e08a2e', PIPELINE: '#4f9a55', EXPERT: '#8e5bb5', CONTEXT: '#b84a4a'
  };

  let gpus = [];
  const architectures = {}; // preset id -> architecture (GET /api/v1/models/{id}), for keeping the layout valid
  const sequence = { memory: 0, parameters: 0, communication: 0, plans: 0 };
  let timer = null;

  // ---------- formatting ----------
  const fmtInt = (n) => Number(n).toLocaleString('en-US', { maximumFractionDigits: 0 });
  const fmtGiB = (n) => (n / GIB).toFixed(2) + ' GiB';
  const fmtBytes = (n) => {
    const a = Math.abs(n);
    if (a >= 1099511627776) return (n / 1099511627776).toFixed(2) + ' TiB';
    if (a >= GIB) return (n / GIB).toFixed(2) + ' GiB';
    if (a >= 1048576) return (n / 1048576).toFixed(1) + ' MiB';
    if (a >= 1024) return (n / 1024).toFixed(1) + ' KiB';
    return n + ' B';
  };
  const fmtSeconds = (s) => {
    if (s === 0) return '0 s';
    if (s < 1e-3) return (s * 1e6).toFixed(1) + ' µs';
    if (s < 1) return (s * 1e3).toFixed(1) + ' ms';
    return s.toFixed(3) + ' s';
  };
  const fmtCount = (n) => {
    if (Math.abs(n) >= 1e9) return (n / 1e9).toFixed(3) + ' B';
    if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(2) + ' M';
    return fmtInt(n);
  };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, v);
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function titled(node, text) {
    node.append(svg('title', {}, text));
    return node;
  }

  function hue(i, n) {
    return 'hsl(' + Math.round(170 + (i * 150) / Math.max(1, n)) + ', 45%, ' + (i % 2 ? 58 : 48) + '%)';
  }

  // ---------- API ----------
  async function post(path, body) {
    const response = await fetch('/api/v1/' + path, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    });
    const json = await response.json().catch(() => ({ title: 'Unreadable answer', status: response.status }));
    return { ok: response.ok, status: response.status, json };
  }

  async function get(path) {
    const response = await fetch('/api/v1/' + path, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error('GET /api/v1/' + path + ' answered ' + response.status);
    return response.json();
  }

  function problemText(path, answer) {
    const p = answer.json || {};
    let text = path + ' answered ' + answer.status + ': ' + (p.detail || p.title || 'error');
    if (p.errors) text += ' — ' + Object.entries(p.errors).map(([k, v]) => k + ' ' + v).join('; ');
    return text;
  }

  // ---------- inputs ----------
  function readInputs() {
    const v = {};
    for (const [name, id] of Object.entries(CONTROLS)) {
      const c = $(id);
      v[name] = c.type === 'checkbox' ? c.checked : c.value;
    }
    for (const name of INTEGER_FIELDS) v[name] = parseInt(v[name], 10);
    v.zero = parseInt(v.zero, 10);
    v.source = $('model-source-config').checked ? 'config' : 'preset';
    v.config = $('model-config').value;
    return v;
  }

  function validate(v) {
    for (const name of INTEGER_FIELDS) {
      if (!Number.isInteger(v[name]) || v[name] < 1) return 'Enter a whole number ≥ 1 for ' + $(CONTROLS[name]).labels[0].textContent;
    }
    return null;
  }

  function modelSpec(v) {
    if (v.source === 'config') {
      let parsed;
      try { parsed = JSON.parse(v.config); } catch (e) { throw new Error('The pasted config.json is not valid JSON: ' + e.message); }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The pasted config.json must be a JSON object');
      return { huggingFaceConfig: parsed };
    }
    return { preset: v.model };
  }

  const layoutGpus = (v) => v.dp * v.tp * v.pp * v.cp;

  function common(v, model) {
    return {
      model,
      batch: { microBatchSize: v.micro, sequenceLength: v.seq, globalBatchSize: v.global },
      training: { precision: v.precision, optimizer: v.optimizer, zeroStage: v.zero },
      activations: { recomputation: v.recompute, attention: v.attention, sequenceParallel: v.sp },
      parallelism: { data: v.dp, tensor: v.tp, pipeline: v.pp, context: v.cp, expert: v.ep, virtualPipeline: v.vp }
    };
  }

  function cluster(v, withCount) {
    const c = { gpu: v.gpu, gpusPerNode: v.perNode };
    if (withCount) c.gpuCount = v.gpus;
    return c;
  }

  // ---------- shareable URL (the hash) ----------
  function writeHash(v) {
    const p = new URLSearchParams();
    for (const name of Object.keys(CONTROLS)) p.set(name, name === 'sp' ? (v.sp ? '1' : '0') : String(v[name]));
    if (v.source === 'config') p.set('config', v.config);
    const hash = '#' + p.toString();
    if (location.hash !== hash) history.replaceState(null, '', hash);
    $('share-link').href = hash;
  }

  function restoreHash() {
    if (!location.hash || location.hash.length < 2) return;
    const p = new URLSearchParams(location.hash.slice(1));
    for (const [name, id] of Object.entries(CONTROLS)) {
      if (!p.has(name)) continue;
      const c = $(id);
      if (c.type === 'checkbox') c.checked = p.get(name) === '1';
      else if (c.tagName === 'SELECT') {
        if ([...c.options].some((o) => o.value === p.get(name))) c.value = p.get(name);
      } else c.value = p.get(name);
    }
    if (p.has('config')) {
      $('model-config').value = p.get('config');
      $('model-source-config').checked = true;
    }
  }

  // ---------- raw JSON ----------
  function showJson(id, request, answer) {
    $(id).textContent = '// request\n' + JSON.stringify(request, null, 2) + '\n\n// answer (' + answer.status + ')\n'
      + JSON.stringify(answer.json, null, 2);
  }

  // ---------- formulas ----------
  function formulaBlock(title, formula, detailed, unit) {
    if (!formula) return null;
    const diff = detailed - formula.value;
    const rel = formula.value ? (100 * diff) / formula.value : 0;
    const fmt = unit === 'bytes' ? (n) => fmtInt(n) + ' B (' + fmtBytes(n) + ')' : (n) => fmtInt(n);
    const box = el('div', { class: 'formula' + (formula.exact ? ' exact' : '') });
    box.append(el('div', { class: 'formula-title' }, el('strong', { text: title }),
      el('span', { class: 'badge', text: formula.exact ? 'document formula = detailed' : 'document formula ≠ detailed' })));
    const dl = el('dl');
    const row = (k, v, cls) => { dl.append(el('dt', { text: k }), el('dd', { class: cls, text: v })); };
    row('document', formula.expression, 'expr');
    if (formula.substituted) row('substituted', formula.substituted, 'expr');
    row('document value', fmt(formula.value));
    row('detailed value', fmt(detailed));
    row('difference (detailed − document)', (diff > 0 ? '+' : '') + fmt(diff)
      + (formula.value ? ', ' + (rel > 0 ? '+' : '') + rel.toFixed(1) + ' %' : ''), 'diff');
    if (formula.note) row('note', formula.note);
    if (formula.source) row('source', formula.source);
    box.append(dl);
    return box;
  }

  // ---------- charts ----------
  // One horizontal stacked bar with a capacity line; segments [{label, bytes, color}]
  function stackedBar(segments, capacity, total) {
    const width = 760, left = 24, barTop = 26, barHeight = 44, plotWidth = width - 2 * left;
    const scaleMax = Math.max(total, capacity || 0) * 1.05 || 1;
    const x = (b) => left + (b / scaleMax) * plotWidth;
    const root = svg('svg', { viewBox: '0 0 ' + width + ' 110', width: '100%', role: 'img',
      'aria-label': 'Per-GPU memory: ' + fmtGiB(total) + (capacity ? ' of ' + fmtGiB(capacity) : '') });
    const bar = svg('g', { id: 'memory-bar', 'data-total': String(total), 'data-width': (x(total) - left).toFixed(3) });
    let at = 0;
    for (const s of segments) {
      if (s.bytes <= 0) continue;
      bar.append(titled(svg('rect', { x: x(at).toFixed(3), y: barTop, width: (x(at + s.bytes) - x(at)).toFixed(3),
        height: barHeight, fill: s.color, class: 'seg' }), s.label + ': ' + fmtInt(s.bytes) + ' B (' + fmtGiB(s.bytes) + ')'));
      at += s.bytes;
    }
    root.append(bar);
    // axis ticks every 10 or 20 GiB
    const step = scaleMax / GIB > 120 ? 40 : scaleMax / GIB > 60 ? 20 : scaleMax / GIB > 20 ? 10 : 2;
    for (let g = 0; g * GIB <= scaleMax; g += step) {
      root.append(svg('line', { x1: x(g * GIB), x2: x(g * GIB), y1: barTop + barHeight, y2: barTop + barHeight + 5, stroke: '#666' }));
      root.append(svg('text', { x: x(g * GIB), y: barTop + barHeight + 18, 'text-anchor': 'middle', class: 'tick' }, g + ' GiB'));
    }
    if (capacity) {
      const cx = x(capacity);
      root.append(svg('line', { x1: cx, x2: cx, y1: 6, y2: barTop + barHeight + 6, class: 'capacity', id: 'capacity-line' }));
      root.append(svg('text', { x: cx, y: 16, 'text-anchor': cx > width - 140 ? 'end' : 'start', dx: cx > width - 140 ? -4 : 4,
        class: 'capacity-label' }, 'GPU capacity ' + fmtGiB(capacity)));
    }
    root.append(svg('text', { x: Math.min(x(total) + 4, width - 4), y: barTop + barHeight + 34,
      'text-anchor': x(total) > width - 120 ? 'end' : 'start', class: 'total-label' }, 'total ' + fmtGiB(total)));
    return root;
  }

  // Horizontal bars, one per row [{label, value, color, text}]
  function barChart(title, rows, format) {
    const width = 520, labelWidth = 150, rowHeight = 24, top = 24, valueWidth = 90;
    const height = top + rows.length * rowHeight + 6;
    const max = Math.max(...rows.map((r) => r.value), 0) || 1;
    const root = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, width: '100%', role: 'img', 'aria-label': title, class: 'bars' });
    root.append(svg('text', { x: 0, y: 14, class: 'chart-title' }, title));
    rows.forEach((r, i) => {
      const y = top + i * rowHeight;
      const w = ((width - labelWidth - valueWidth) * r.value) / max;
      root.append(svg('text', { x: labelWidth - 6, y: y + 16, 'text-anchor': 'end', class: 'tick' }, r.label));
      root.append(titled(svg('rect', { x: labelWidth, y: y + 3, width: Math.max(w, r.value > 0 ? 1 : 0).toFixed(3),
        height: rowHeight - 8, fill: r.color }), r.label + ': ' + format(r.value)));
      if (r.part !== undefined && r.part > 0) {
        root.append(svg('rect', { x: labelWidth, y: y + rowHeight - 7, width: (((width - labelWidth - valueWidth) * r.part) / max).toFixed(3),
          height: 3, fill: '#222' }));
      }
      root.append(svg('text', { x: labelWidth + w + 4, y: y + 16, class: 'tick' }, format(r.value)));
    });
    return root;
  }

  function table(headers, rows, cls) {
    const t = el('table', { class: cls || '' });
    const head = el('tr');
    for (const h of headers) head.append(el('th', { scope: 'col', text: h }));
    t.append(el('thead', {}, head));
    const body = el('tbody');
    for (const r of rows) {
      const tr = el('tr');
      for (const c of r) tr.append(c instanceof Node ? el('td', {}, c) : el('td', { text: String(c) }));
      body.append(tr);
    }
    t.append(body);
    return el('div', { class: 'scroll' }, t); // a wide table scrolls inside its box, never the page
  }

  // ---------- memory ----------
  function memorySegments(a) {
    const p = a.perGpu;
    const seg = [
      { label: 'weights', bytes: p.weightsBytes, color: MEMORY_COLORS.weights },
      { label: 'gradients', bytes: p.gradientsBytes, color: MEMORY_COLORS.gradients },
      { label: 'optimizer states', bytes: p.optimizerStatesBytes, color: MEMORY_COLORS.optimizer }
    ];
    const kinds = (a.activationDetail && a.activationDetail.breakdown) || [];
    const kindSum = kinds.reduce((s, k) => s + k.bytes, 0);
    if (kinds.length && kindSum === p.activationsBytes) {
      kinds.forEach((k, i) => seg.push({ label: 'activations: ' + k.tensor, bytes: k.bytes, color: hue(i, kinds.length), activation: true }));
    } else {
      seg.push({ label: 'activations', bytes: p.activationsBytes, color: hue(0, 1), activation: true });
    }
    seg.push({ label: 'transient (logits or rebuilt layer)', bytes: p.transientBytes, color: MEMORY_COLORS.transient });
    seg.push({ label: 'framework allowance', bytes: p.frameworkBytes, color: MEMORY_COLORS.framework });
    return seg;
  }

  function renderMemory(request, a) {
    const p = a.perGpu;
    const capacity = a.gpu ? a.gpu.memoryBytes : null;
    $('total-bytes').textContent = String(p.totalBytes);
    $('total-gib').textContent = fmtGiB(p.totalBytes);
    $('capacity').textContent = capacity ? fmtInt(capacity) + ' bytes (' + fmtGiB(capacity) + ') on ' + a.gpu.id : '—';
    const fits = $('fits');
    fits.textContent = a.fits === undefined ? '' : a.fits
      ? 'fits, ' + fmtGiB(a.headroomBytes) + ' headroom; largest micro-batch ' + a.maxMicroBatchSize + ', longest sequence ' + fmtInt(a.maxSequenceLength)
      : 'does not fit (' + fmtGiB(-a.headroomBytes) + ' over); largest micro-batch ' + a.maxMicroBatchSize + ', longest sequence ' + fmtInt(a.maxSequenceLength);
    fits.className = a.fits ? 'ok' : 'bad';
    const segments = memorySegments(a);
    $('memory-chart').replaceChildren(stackedBar(segments, capacity, p.totalBytes));
    const row = (s) => [
      el('span', { class: 'swatch', style: 'background:' + s.color, 'aria-hidden': 'true' }),
      s.label, fmtInt(s.bytes), fmtGiB(s.bytes), (100 * s.bytes / p.totalBytes).toFixed(1) + ' %'
    ];
    const kinds = segments.filter((s) => s.activation);
    const rows = [];
    for (const s of segments) {
      if (!s.activation) rows.push(row(s));
      else if (s === kinds[0]) {
        rows.push(row({ label: 'activations (' + kinds.length + ' tensor kind' + (kinds.length > 1 ? 's' : '') + ', bar shades; '
          + a.activationDetail.inFlightMicroBatches + ' micro-batch(es) in flight)', bytes: p.activationsBytes, color: s.color }));
      }
    }
    rows.push(['', 'total (pipeline stage ' + a.pipelineStage + ')', fmtInt(p.totalBytes), fmtGiB(p.totalBytes), '100 %']);
    const parts = [table(['', 'part', 'bytes', 'GiB', 'share'], rows, 'legend num')];
    if (kinds.length > 1) {
      parts.push(el('details', { class: 'kinds' }, el('summary', { text: 'Activations by tensor kind' }),
        table(['', 'tensor', 'bytes', 'GiB', 'share'], kinds.map((s) => row(Object.assign({}, s, { label: s.label.replace(/^activations: /, '') }))), 'legend num')));
    }
    $('memory-legend').replaceChildren(...parts);
    const f = a.documentFormulas || {};
    $('memory-formulas').replaceChildren(...[
      formulaBlock('Model states (weights + gradients + optimizer states)', f.modelStates, p.modelStatesBytes, 'bytes'),
      formulaBlock('Activations', f.activations, p.activationsBytes, 'bytes')
    ].filter(Boolean));
  }

  // ---------- parameters ----------
  function renderParameters(a) {
    const b = a.breakdown;
    const layers = (b.denseLayers || 0) + (b.moeLayers || 0);
    const parts = [
      ['token embedding', b.embedding],
      ['position embedding', b.positionEmbedding],
      ['attention (all layers)', b.attentionPerLayer * layers],
      ['dense MLP (' + b.denseLayers + ' layers)', b.mlpPerLayer * b.denseLayers],
      ['router (' + b.moeLayers + ' MoE layers)', b.routerPerLayer * b.moeLayers],
      ['experts (' + b.moeLayers + ' MoE layers)', b.expertsPerLayer * b.moeLayers],
      ['norms (all layers)', b.normsPerLayer * layers],
      ['final norm', b.finalNorm],
      ['LM head', b.lmHead]
    ].filter(([, n]) => n > 0);
    $('parameters-chart').replaceChildren(barChart('Parameters by part (model ' + a.model + ')',
      parts.map(([label, value], i) => ({ label: label.split(' (')[0], value, color: hue(i, parts.length) })), fmtCount));
    const rows = parts.map(([label, n]) => [label, fmtInt(n), (100 * n / a.totalParameters).toFixed(2) + ' %']);
    rows.push(['total (tied weights once)', fmtInt(a.totalParameters), '100 %']);
    rows.push(['active per token', fmtInt(a.activeParametersPerToken), '']);
    rows.push(['non-embedding', fmtInt(a.nonEmbeddingParameters), '']);
    const perLayer = [['attention per layer', fmtInt(b.attentionPerLayer), ''], ['MLP per layer', fmtInt(b.mlpPerLayer), ''],
      ['norms per layer', fmtInt(b.normsPerLayer), '']];
    $('parameters-table').replaceChildren(table(['part', 'parameters', 'share'], rows.concat(perLayer), 'num'));
    const extra = [];
    if (a.warnings && a.warnings.length) extra.push(el('ul', { class: 'warnings' }, ...a.warnings.map((w) => el('li', { text: w }))));
    $('parameters-formulas').replaceChildren(...[formulaBlock('Total parameters Φ', a.documentFormula, a.totalParameters, 'count')]
      .filter(Boolean).concat(extra));
  }

  // ---------- communication ----------
  function renderCommunication(a) {
    const by = {};
    for (const t of a.perGpuPerStep) {
      const g = by[t.parallelism] || (by[t.parallelism] = { bytes: 0, seconds: 0, exposed: 0 });
      g.bytes += t.bytes; g.seconds += t.seconds; g.exposed += t.exposedSeconds;
    }
    const names = Object.keys(by);
    $('communication-note').textContent = 'GPU of pipeline stage ' + a.pipelineStage + ', ' + a.microBatchesPerStep
      + ' micro-batches per step, placement ' + a.placement + '. Total ' + fmtInt(a.totalBytes) + ' bytes ('
      + fmtBytes(a.totalBytes) + ') sent, ' + fmtSeconds(a.totalSeconds) + ' on the wire, '
      + fmtSeconds(a.exposedSeconds) + ' exposed (the thin dark line under each bar).';
    $('communication-bytes').replaceChildren(names.length
      ? barChart('Bytes sent per step', names.map((n) => ({ label: n, value: by[n].bytes, color: PARALLELISM_COLORS[n] })), fmtBytes)
      : el('p', { text: 'No communication: one GPU.' }));
    $('communication-seconds').replaceChildren(names.length
      ? barChart('Seconds per step (exposed part underlined)', names.map((n) => ({ label: n, value: by[n].seconds, part: by[n].exposed,
        color: PARALLELISM_COLORS[n] })), fmtSeconds)
      : el('span'));
    const rows = a.perGpuPerStep.map((t) => {
      const cell = el('div', {}, el('div', { text: t.source }));
      const f = formulaBlock('Document', t.documentFormula, t.bytes, 'bytes');
      if (f) cell.append(el('details', {}, el('summary', { text: 'document formula: ' + t.documentFormula.expression }), f));
      return [t.parallelism, t.collective.toLowerCase().replace('_', '-') + ' × ' + fmtInt(t.count) + ' (group ' + t.groupSize + ', '
        + t.link.toLowerCase().replace('_', '-') + ')', cell, fmtInt(t.bytes), fmtSeconds(t.seconds), fmtSeconds(t.exposedSeconds)];
    });
    $('communication-table').replaceChildren(table(['parallelism', 'collective', 'what', 'bytes', 'seconds', 'exposed'], rows, 'num comm'));
  }

  function clearCommunication(message) {
    $('communication-note').textContent = message;
    $('communication-bytes').replaceChildren();
    $('communication-seconds').replaceChildren();
    $('communication-table').replaceChildren();
    $('communication-json').textContent = '';
  }

  // ---------- plans ----------
  const layoutName = (d) => 'd' + d.data + ' t' + d.tensor + ' p' + d.pipeline + ' c' + d.context
    + (d.expert > 1 ? ' e' + d.expert : '') + (d.virtualPipeline > 1 ? ' v' + d.virtualPipeline : '');

  function miniBar(parts, max, label, capacity) {
    const width = 200, height = 16;
    const root = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'img', 'aria-label': label });
    let at = 0;
    for (const [value, color, name] of parts) {
      if (value <= 0) continue;
      root.append(titled(svg('rect', { x: (width * at / max).toFixed(2), y: 2, width: (width * value / max).toFixed(2), height: height - 4,
        fill: color }), name));
      at += value;
    }
    if (capacity) root.append(svg('line', { x1: width * capacity / max, x2: width * capacity / max, y1: 0, y2: height, class: 'capacity' }));
    return root;
  }

  function renderPlans(request, a) {
    const rejected = Object.entries(a.rejected || {});
    $('plans-summary').replaceChildren(el('p', { text: a.evaluated + ' layouts evaluated on ' + a.gpuCount + ' × ' + a.gpu + ', '
      + a.fitting + ' fit, ' + a.communicationEvaluated + ' got a communication ledger; showing the ' + a.plans.length + ' fastest.' }),
      rejected.length
        ? el('div', {}, el('strong', { text: 'Rejected: ' }),
          el('ul', { class: 'rejected' }, ...rejected.map(([why, n]) => el('li', { text: fmtInt(n) + ' — ' + why }))))
        : el('p', { text: 'Nothing rejected.' }));
    if (!a.plans.length) { $('plans-table').replaceChildren(el('p', { text: 'No layout fits.' })); return; }
    const memMax = 1.02 * Math.max(a.gpuMemoryBytes, ...a.plans.map((p) => p.perGpuBytes));
    const timeMax = Math.max(...a.plans.map((p) => p.step.totalSeconds));
    const rows = a.plans.map((p, i) => {
      const m = p.memory, s = p.step, d = p.parallelism;
      const apply = el('button', { type: 'button', class: 'small', text: 'Use', 'aria-label': 'Use layout ' + (i + 1),
        'data-plan': JSON.stringify({ parallelism: d, zeroStage: p.zeroStage, recomputation: p.recomputation,
          sequenceParallel: p.sequenceParallel, microBatchSize: p.microBatchSize, perGpuBytes: p.perGpuBytes }) });
      apply.addEventListener('click', () => applyPlan(request, p));
      return [i + 1, el('span', { class: 'nowrap', text: layoutName(d) }),
        p.zeroStage, p.recomputation.toLowerCase() + (p.sequenceParallel ? ', SP' : ''), p.microBatchSize + ' × ' + p.microBatches,
        el('div', { class: 'cellbar' }, miniBar([[m.modelStatesBytes, MEMORY_COLORS.weights, 'model states'], [m.activationsBytes, hue(0, 1), 'activations'],
          [m.transientBytes, MEMORY_COLORS.transient, 'transient'], [m.frameworkBytes, MEMORY_COLORS.framework, 'framework']], memMax,
        'memory ' + fmtGiB(p.perGpuBytes), a.gpuMemoryBytes), el('span', { text: fmtGiB(p.perGpuBytes) })),
        el('div', { class: 'cellbar' }, miniBar([[s.computeSeconds, '#4f9a55', 'compute'], [s.bubbleSeconds, '#e0c02e', 'pipeline bubble'],
          [s.exposedCommunicationSeconds, '#b84a4a', 'exposed communication']], timeMax, 'step ' + fmtSeconds(s.totalSeconds)),
        el('span', { text: fmtSeconds(s.totalSeconds) })),
        p.mfu.toFixed(3), apply];
    });
    $('plans-table').replaceChildren(table(['#', 'layout', 'ZeRO', 'recompute', 'micro-batch × count', 'memory per GPU', 'step time', 'MFU', ''], rows, 'plans'),
      el('p', { class: 'hint', text: 'Memory bar: model states, activations, transient, framework; the line is the GPU capacity. '
        + 'Step bar: compute, pipeline bubble, exposed communication.' }));
  }

  // every choice the plan made travels with it (the memory panel then shows the plan's own bytes)
  function applyPlan(request, p) {
    const d = p.parallelism;
    $('data-degree').value = d.data; $('tensor-degree').value = d.tensor; $('pipeline-degree').value = d.pipeline;
    $('context-degree').value = d.context; $('expert-degree').value = d.expert || 1;
    $('virtual-pipeline-degree').value = d.virtualPipeline || 1;
    $('zero-stage').value = String(p.zeroStage);
    $('recomputation').value = p.recomputation; $('sequence-parallel').checked = p.sequenceParallel;
    $('micro-batch').value = p.microBatchSize;
    $('gpu-count').value = request.cluster.gpuCount;
    edited = null;
    $('layout-note').textContent = 'Layout ' + layoutName(d) + ' from the planner, ' + fmtGiB(p.perGpuBytes) + ' per GPU there.';
    schedule(0);
    $('memory-title').scrollIntoView({ behavior: 'smooth' });
  }

  async function searchPlans() {
    const v = readInputs();
    const invalid = validate(v);
    if (invalid) { $('plans-summary').textContent = invalid; return; }
    let model;
    try { model = modelSpec(v); } catch (e) { $('plans-summary').textContent = e.message; return; }
    const request = { model, batch: { sequenceLength: v.seq, globalBatchSize: v.global },
      training: { precision: v.precision, optimizer: v.optimizer }, activations: { attention: v.attention },
      cluster: { gpu: v.gpu, gpuCount: v.gpus, gpusPerNode: v.perNode }, limit: 10 };
    const n = ++sequence.plans;
    const button = $('plans-button');
    button.disabled = true; button.textContent = 'Searching…';
    $('plans-panel').dataset.state = 'loading';
    try {
      const answer = await post('plans', request);
      if (n !== sequence.plans) return;
      showJson('plans-json', request, answer);
      if (answer.ok) renderPlans(request, answer.json);
      else $('plans-summary').replaceChildren(el('p', { class: 'bad', text: problemText('POST /api/v1/plans', answer) }));
      $('plans-panel').dataset.state = 'ready';
    } catch (e) {
      $('plans-summary').textContent = 'POST /api/v1/plans failed: ' + e.message;
    } finally {
      if (n === sequence.plans) { button.disabled = false; button.textContent = 'Search layouts'; }
    }
  }

  // ---------- keeping the layout consistent with the cluster and the model ----------
  const gcd = (a, b) => { while (b) [a, b] = [b, a % b]; return a; };
  const intOf = (id) => parseInt($(id).value, 10);
  const positive = (n) => Number.isInteger(n) && n >= 1;
  const divisorAtMost = (n, limit) => { for (let d = Math.min(n, limit); d > 1; d--) if (n % d === 0) return d; return 1; };
  const LAYOUT_FIELDS = ['gpu-count', 'data-degree', 'tensor-degree', 'pipeline-degree', 'context-degree', 'model-preset'];
  let edited = null; // the layout-relevant field edited since the last update

  async function architectureOf(id) {
    if (!(id in architectures)) {
      try { architectures[id] = (await get('models/' + encodeURIComponent(id))).architecture || null; } catch (e) { architectures[id] = null; }
    }
    return architectures[id];
  }

  // After an edit, data × tensor × pipeline × context = the GPUs again, as far as the edit allows:
  // - a new GPU count or model keeps tensor × pipeline × context where it divides the GPUs (else gives up context, then
  //   pipeline, then tensor) and fits the model (tensor divides the heads, pipeline at most the layers, expert divides
  //   the experts, or 1 for a dense model), and data parallelism takes the rest;
  // - a new tensor, pipeline or context degree changes data parallelism when the product still divides the GPUs (else the
  //   hint below the layout says it does not);
  // - a new data degree changes the GPU count.
  // Expert parallelism, which takes its ranks from data × context, shrinks to divide them. Returns what changed, in words.
  function fitLayout(field, arch) {
    const was = { gpus: intOf('gpu-count'), dp: intOf('data-degree'), tp: intOf('tensor-degree'), pp: intOf('pipeline-degree'),
      cp: intOf('context-degree'), ep: intOf('expert-degree') };
    if (!Object.values(was).every(positive)) return '';
    let { gpus, dp, tp, pp, cp, ep } = was;
    if (field === 'data-degree') {
      gpus = dp * tp * pp * cp;
    } else if (field === 'gpu-count' || field === 'model-preset') {
      if (arch && field === 'model-preset') {
        tp = divisorAtMost(gcd(arch.numAttentionHeads, arch.numKeyValueHeads || arch.numAttentionHeads), tp);
        pp = Math.min(pp, arch.numLayers);
        ep = arch.moe ? divisorAtMost(arch.moe.numExperts, ep) : 1;
      }
      cp = gcd(cp, gpus); pp = gcd(pp, gpus / cp); tp = gcd(tp, gpus / (cp * pp));
      dp = gpus / (tp * pp * cp);
    } else if (gpus % (tp * pp * cp) === 0) {
      dp = gpus / (tp * pp * cp);
    }
    ep = gcd(ep, dp * cp);
    const now = { gpus, dp, tp, pp, cp, ep };
    const names = { gpus: ['gpu-count', 'GPUs'], dp: ['data-degree', 'data'], tp: ['tensor-degree', 'tensor'],
      pp: ['pipeline-degree', 'pipeline'], cp: ['context-degree', 'context'], ep: ['expert-degree', 'expert'] };
    const changes = [];
    for (const k of Object.keys(now)) {
      if (now[k] !== was[k]) { $(names[k][0]).value = now[k]; changes.push(names[k][1] + ' ' + was[k] + ' → ' + now[k]); }
    }
    return changes.length ? 'Adjusted to keep the layout on the cluster' + (arch && field === 'model-preset' ? ' and the model' : '')
      + ': ' + changes.join(', ') + '.' : '';
  }

  // results that no longer answer the inputs are dimmed (and marked for assistive technology and tests)
  function setStale(ids, stale) {
    for (const id of ids) {
      $(id).classList.toggle('stale', stale);
      $(id).setAttribute('aria-disabled', stale ? 'true' : 'false');
      if (stale) $(id).dataset.state = 'stale';
    }
  }

  function clearMemory() {
    $('total-bytes').textContent = '—';
    $('total-gib').textContent = '—';
    $('fits').textContent = '';
    $('memory-chart').replaceChildren();
    $('memory-legend').replaceChildren();
    $('memory-formulas').replaceChildren();
  }

  // ---------- accelerator comparison ----------
  const fmtMoney = (n) => Number(n).toLocaleString('en-US', { maximumFractionDigits: 0 });

  // "id=price, id, ..." → [{preset, pricePerGpuHour?}]
  function parseOffers(text) {
    return text.split(',').map((s) => s.trim()).filter((s) => s).map((entry) => {
      const [id, price] = entry.split('=').map((s) => s.trim());
      const offer = { preset: id };
      if (price !== undefined && price !== '') offer.pricePerGpuHour = Number(price);
      return offer;
    });
  }

  // cost (y) against training days (x), one colour per GPU; the cheapest and the fastest are labelled
  function costVersusDays(c) {
    const points = c.options.filter((o) => o.fits && o.cost !== undefined);
    if (!points.length) return el('p', { text: 'No option that fits has a price: nothing to plot.' });
    const ids = [...new Set(c.options.map((o) => o.gpu))];
    const width = 640, height = 360, left = 78, right = 20, top = 24, bottom = 64;
    const maxDays = 1.08 * Math.max(...points.map((o) => o.trainingDays));
    const maxCost = 1.08 * Math.max(...points.map((o) => o.cost));
    const x = (d) => left + (width - left - right) * d / maxDays;
    const y = (v) => height - bottom - (height - top - bottom) * v / maxCost;
    const root = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, class: 'scatter', role: 'img',
      'aria-label': 'cost against training days for each accelerator and GPU count' });
    root.append(svg('text', { x: left, y: 14, class: 'chart-title' }, 'Cost against training days'));
    root.append(svg('line', { x1: left, x2: width - right, y1: height - bottom, y2: height - bottom, stroke: '#888' }));
    root.append(svg('line', { x1: left, x2: left, y1: top, y2: height - bottom, stroke: '#888' }));
    for (let i = 0; i <= 4; i++) {
      const d = maxDays * i / 4, v = maxCost * i / 4;
      root.append(svg('text', { x: x(d), y: height - bottom + 14, class: 'tick', 'text-anchor': 'middle' }, d.toFixed(0)));
      root.append(svg('text', { x: left - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, fmtMoney(v)));
    }
    root.append(svg('text', { x: (left + width - right) / 2, y: height - bottom + 32, 'text-anchor': 'middle' }, 'training days'));
    root.append(svg('text', { x: 14, y: (top + height - bottom) / 2, 'text-anchor': 'middle',
      transform: 'rotate(-90 14 ' + (top + height - bottom) / 2 + ')' }, 'cost'));
    if (c.maxTrainingDays !== undefined && c.maxTrainingDays <= maxDays) {
      root.append(titled(svg('line', { x1: x(c.maxTrainingDays), x2: x(c.maxTrainingDays), y1: top, y2: height - bottom,
        class: 'capacity' }), 'max training days ' + c.maxTrainingDays));
    }
    const named = { };
    if (c.cheapest) named[c.cheapest.option] = (named[c.cheapest.option] || []).concat('cheapest');
    if (c.fastest) named[c.fastest.option] = (named[c.fastest.option] || []).concat('fastest');
    if (c.cheapestWithinMaxTrainingDays) {
      const i = c.cheapestWithinMaxTrainingDays.option;
      named[i] = (named[i] || []).concat('cheapest in time');
    }
    for (const o of points) {
      const colour = hue(ids.indexOf(o.gpu), ids.length);
      root.append(titled(svg('circle', { cx: x(o.trainingDays).toFixed(1), cy: y(o.cost).toFixed(1), r: 6, fill: colour,
        'data-option': o.option }), o.gpuCount + ' × ' + o.gpu + ': ' + o.trainingDays.toFixed(1) + ' days, cost ' + fmtMoney(o.cost)));
      root.append(svg('text', { x: x(o.trainingDays) + 8, y: y(o.cost) - 6, class: 'tick' }, o.gpuCount + '×'));
      if (named[o.option]) {
        root.append(svg('text', { x: x(o.trainingDays) + 8, y: y(o.cost) + 12, class: 'choice' }, named[o.option].join(', ')));
      }
    }
    ids.forEach((id, i) => {
      const at = left + i * 170;
      root.append(svg('circle', { cx: at + 5, cy: height - 12, r: 5, fill: hue(i, ids.length) }));
      root.append(svg('text', { x: at + 14, y: height - 8, class: 'tick' }, id));
    });
    return root;
  }

  function renderComparison(a) {
    const c = a.comparison;
    const choice = (name, ch) => ch ? el('li', { text: name + ': ' + ch.gpuCount + ' × ' + ch.gpu + ', '
      + ch.trainingDays.toFixed(1) + ' days' + (ch.cost !== undefined ? ', cost ' + fmtMoney(ch.cost) : '') }) : null;
    $('compare-summary').replaceChildren(el('p', { text: c.options.length + ' options, ' + fmtInt(a.evaluated)
      + ' layouts evaluated for ' + Number(c.tokens).toExponential(2) + ' tokens.' }),
    el('ul', { class: 'choices' }, choice('cheapest', c.cheapest), choice('fastest', c.fastest),
      choice('cheapest within ' + c.maxTrainingDays + ' days', c.cheapestWithinMaxTrainingDays)),
    ...c.notes.slice(2).map((n) => el('p', { class: 'hint', text: n })));
    $('compare-chart').replaceChildren(costVersusDays(c));
    const rows = c.options.map((o) => {
      const p = o.plan, d = p ? p.parallelism : null;
      const e = o.energy;
      return [o.option, o.gpuCount + ' × ' + o.gpu,
        p ? 'd' + d.data + ' t' + d.tensor + ' p' + d.pipeline + ' c' + d.context + ', ZeRO-' + p.zeroStage : 'nothing fits',
        o.fits ? fmtSeconds(o.stepSeconds) : '', o.fits ? o.trainingDays.toFixed(1) : '', o.fits ? fmtInt(o.gpuHours) : '',
        o.cost !== undefined ? fmtMoney(o.cost) : '',
        e ? (e.reported ? fmtInt(e.energyKwh) + ' kWh' + (e.emissionsTonnesCo2e !== undefined ? ', ' + e.emissionsTonnesCo2e.toFixed(1) + ' t CO2e' : '')
          : 'not reported') : ''];
    });
    $('compare-table').replaceChildren(table(['#', 'GPUs', 'best layout', 'step', 'days', 'GPU-hours', 'cost', 'energy'], rows, 'compare'));
  }

  async function compareAccelerators() {
    const v = readInputs();
    const invalid = validate(v);
    if (invalid) { $('compare-summary').textContent = invalid; return; }
    let model;
    try { model = modelSpec(v); } catch (e) { $('compare-summary').textContent = e.message; return; }
    const counts = $('compare-counts').value.split(',').map((s) => parseInt(s.trim(), 10)).filter((n) => !Number.isNaN(n));
    const request = { model, batch: { sequenceLength: v.seq, globalBatchSize: v.global },
      training: { precision: v.precision, optimizer: v.optimizer }, activations: { attention: v.attention },
      cluster: { gpu: parseOffers($('compare-gpus').value), gpuCounts: counts },
      tokens: Number($('compare-tokens').value) };
    const days = $('compare-days').value.trim();
    if (days !== '') request.maxTrainingDays = Number(days);
    const grid = $('compare-grid').value.trim();
    if (grid !== '') request.energy = { gridKgCo2PerKwh: Number(grid) };
    const button = $('compare-button');
    button.disabled = true; button.textContent = 'Comparing…';
    $('compare-panel').dataset.state = 'loading';
    try {
      const answer = await post('plans', request);
      showJson('compare-json', request, answer);
      if (answer.ok) renderComparison(answer.json);
      else {
        $('compare-summary').replaceChildren(el('p', { class: 'bad', text: problemText('POST /api/v1/plans', answer) }));
        $('compare-chart').replaceChildren();
        $('compare-table').replaceChildren();
      }
      $('compare-panel').dataset.state = 'ready';
    } catch (e) {
      $('compare-summary').textContent = 'POST /api/v1/plans failed: ' + e.message;
    } finally {
      button.disabled = false; button.textContent = 'Compare';
    }
  }

  // ---------- update cycle ----------
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(update, delay === undefined ? 250 : delay);
  }

  async function update() {
    const field = edited;
    edited = null;
    if (field) {
      const arch = field === 'model-preset' && !$('model-source-config').checked ? await architectureOf($('model-preset').value) : null;
      const note = fitLayout(field, arch);
      if (note) $('layout-note').textContent = note;
    }
    const v = readInputs();
    writeHash(v);
    $('preset-field').hidden = v.source !== 'preset';
    $('config-field').hidden = v.source !== 'config';
    const errors = [];
    const invalid = validate(v);
    let model = null;
    if (!invalid) {
      try { model = modelSpec(v); } catch (e) { errors.push(e.message); }
    } else errors.push(invalid);
    const used = invalid ? NaN : layoutGpus(v);
    const matches = used === v.gpus;
    $('layout-gpus').textContent = invalid ? '' : 'The layout uses data × tensor × pipeline × context = ' + used + ' GPUs'
      + (matches ? ', all of the cluster.' : '; the cluster has ' + v.gpus + '.');
    $('layout-gpus').className = 'hint' + (matches ? '' : ' bad');
    $('errors').replaceChildren(...errors.map((m) => el('p', { text: m })));
    if (!model) {
      // answers to earlier inputs stay visible for reference, dimmed, and no request is sent
      sequence.memory++; sequence.parameters++; sequence.communication++;
      setStale(['memory-panel', 'parameters-panel', 'communication-panel'], true);
      $('status').textContent = 'Fix the inputs to see the answers; the dimmed results are for the previous inputs.';
      return;
    }

    $('status').textContent = 'Asking the API…';
    $('memory-panel').dataset.state = 'loading';
    const base = common(v, model);
    const memoryRequest = Object.assign({}, base, { cluster: cluster(v, matches) });
    const jobs = [];

    const nm = ++sequence.memory;
    jobs.push(post('memory/training', memoryRequest).then((answer) => {
      if (nm !== sequence.memory) return;
      showJson('memory-json', memoryRequest, answer);
      $('memory-panel').dataset.request = JSON.stringify(memoryRequest);
      if (answer.ok) {
        renderMemory(memoryRequest, answer.json);
        setStale(['memory-panel'], false);
        $('memory-panel').dataset.state = 'ready';
      } else {
        clearMemory();
        setStale(['memory-panel'], true);
        $('memory-panel').dataset.state = 'error';
        errors.push(problemText('POST /api/v1/memory/training', answer));
      }
    }));

    const np = ++sequence.parameters;
    const parametersRequest = { model };
    jobs.push(post('parameters', parametersRequest).then((answer) => {
      if (np !== sequence.parameters) return;
      showJson('parameters-json', parametersRequest, answer);
      setStale(['parameters-panel'], !answer.ok);
      $('parameters-panel').dataset.state = answer.ok ? 'ready' : 'error';
      if (answer.ok) renderParameters(answer.json);
      else {
        $('parameters-chart').replaceChildren(); $('parameters-table').replaceChildren(); $('parameters-formulas').replaceChildren();
        errors.push(problemText('POST /api/v1/parameters', answer));
      }
    }));

    const nc = ++sequence.communication;
    if (matches) {
      const communicationRequest = Object.assign({}, base, { cluster: cluster(v, true) });
      jobs.push(post('communication', communicationRequest).then((answer) => {
        if (nc !== sequence.communication) return;
        showJson('communication-json', communicationRequest, answer);
        setStale(['communication-panel'], !answer.ok);
        $('communication-panel').dataset.state = answer.ok ? 'ready' : 'error';
        if (answer.ok) renderCommunication(answer.json);
        else { clearCommunication(''); errors.push(problemText('POST /api/v1/communication', answer)); }
      }));
    } else {
      setStale(['communication-panel'], false);
      $('communication-panel').dataset.state = 'ready';
      clearCommunication('The communication ledger needs a layout that uses every GPU of the cluster: data × tensor × pipeline × context = '
        + used + ', but the cluster has ' + v.gpus + ' GPUs. Change the degrees or the GPU count (the memory above is still per GPU of this layout).');
    }

    const results = await Promise.allSettled(jobs);
    for (const r of results) if (r.status === 'rejected') errors.push('Request failed: ' + r.reason.message);
    if (nm === sequence.memory) {
      $('errors').replaceChildren(...errors.map((m) => el('p', { text: m })));
      $('status').textContent = errors.length ? 'Some answers are errors (see below).' : 'Up to date.';
    }
  }

  async function init() {
    try {
      const [models, gpuList] = await Promise.all([get('models'), get('gpus')]);
      gpus = gpuList;
      $('model-preset').replaceChildren(...models.map((m) => el('option', { value: m.id,
        text: m.name + ' (' + fmtCount(m.totalParameters) + ')' })));
      $('gpu').replaceChildren(...gpus.map((g) => el('option', { value: g.id, text: g.name, title: g.name + ': ' + g.memoryGiB + ' GiB' })));
      $('model-preset').value = 'llama-2-7b';
      $('gpu').value = 'h100-sxm-80gb';
    } catch (e) {
      $('status').textContent = 'Could not load the catalogs: ' + e.message;
      return;
    }
    restoreHash();
    const form = $('inputs');
    // a select may report only 'change'; a number field reports 'input' while typing and 'change' when left
    const edit = (e) => {
      if (LAYOUT_FIELDS.includes(e.target.id)) edited = e.target.id;
      else if (e.target.id === 'model-source-preset') edited = 'model-preset';
      if (e.type === 'input') $('layout-note').textContent = '';
      schedule();
    };
    form.addEventListener('input', edit);
    form.addEventListener('change', edit);
    form.addEventListener('submit', (e) => { e.preventDefault(); schedule(0); });
    $('plans-button').addEventListener('click', searchPlans);
    $('compare-button').addEventListener('click', compareAccelerators);
    window.addEventListener('hashchange', () => { restoreHash(); schedule(0); });
    update();
  }

  init();
})();
