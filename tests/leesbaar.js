// What a reader at a projector would trip over, measured in the page as Chromium lays it out.
// Returns a list of problems (Dutch-free: developer output). Used by tests/leesbaar.py.
() => {
  const problemen = [];
  const MIN_PX = 14, AA = 4.5, GROOT_AA = 3.0;

  function rgb(tekst) {
    const m = /rgba?\(([^)]+)\)/.exec(tekst || "");
    if (!m) {
      if (/^#[0-9a-f]{6}$/i.test(tekst || "")) {
        return [1, 3, 5].map(i => parseInt(tekst.slice(i, i + 2), 16)).concat([1]);
      }
      return null;
    }
    const d = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return [d[0], d[1], d[2], d.length > 3 ? d[3] : 1];
  }
  function lum(c) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  }
  function meng(voor, achter, alfa) {
    return [0, 1, 2].map(i => voor[i] * alfa + achter[i] * (1 - alfa));
  }
  function verhouding(a, b) {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }
  function naam(el) {
    const fig = el.closest("figure, .jp-RenderedSVG") ||
      el.closest(".jp-OutputArea-output, section, li, td, th, label, p, div");
    const t = (el.textContent || "").trim().slice(0, 40);
    return `'${t}' in ${fig ? (fig.getAttribute("data-beschrijving") || fig.className || fig.tagName).slice(0, 60) : "?"}`;
  }
  function zichtbaar(el) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || Number(s.opacity) === 0) return false;
      if (e.tagName === "DETAILS" && !e.open && e !== el && !el.closest("summary")) return false;
    }
    return true;
  }
  // The fill under a point of a chart: the topmost shape of the same SVG that contains it.
  function achtergrondSvg(svg, tekst, x, y) {
    let kleur = [255, 255, 255];
    const vormen = [...svg.querySelectorAll("path, rect, circle")];
    for (const v of vormen) {
      if (v.compareDocumentPosition(tekst) & Node.DOCUMENT_POSITION_PRECEDING) break;  // drawn above the text
      const s = getComputedStyle(v);
      const f = rgb(s.fill);
      if (!f || s.fill === "none" || f[3] === 0) continue;
      const alfa = Number(s.fillOpacity) * Number(s.opacity) * f[3];
      if (alfa < 0.05) continue;
      const ctm = v.getScreenCTM();
      if (!ctm || typeof v.isPointInFill !== "function") continue;
      const p = new DOMPoint(x, y).matrixTransform(ctm.inverse());
      if (v.isPointInFill(p)) kleur = meng(f, kleur, alfa);
    }
    return kleur;
  }
  function achtergrondHtml(el) {
    const lagen = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { lagen.push(c); if (c[3] >= 1) break; }
    }
    let kleur = [255, 255, 255];
    for (const c of lagen.reverse()) kleur = meng(c, kleur, c[3]);
    return kleur;
  }

  // JupyterLab and Voila show a chart's SVG as <img src="data:image/svg+xml,...">, whose text the page
  // cannot measure: put the same SVG inline at the same rendered size (it draws identically), then measure.
  for (const img of document.querySelectorAll(".jp-RenderedSVG img[src^='data:image/svg+xml']")) {
    const r = img.getBoundingClientRect();
    if (r.width < 1) continue;
    const bron = decodeURIComponent(img.getAttribute("src").replace(/^data:image\/svg\+xml(;charset=[^,]*)?,/, ""));
    const svg = new DOMParser().parseFromString(bron, "image/svg+xml").documentElement;
    svg.style.width = r.width + "px";
    svg.style.height = r.height + "px";
    img.replaceWith(document.importNode(svg, true));
  }

  // 1. charts: width, text size, cut-off text, overlaps, contrast
  const grafieken = [...document.querySelectorAll("figure.duiding-grafiek, .jp-RenderedSVG")];
  for (const fig of grafieken) {
    if (!zichtbaar(fig)) continue;
    const svg = fig.querySelector("svg");
    const img = fig.querySelector("img");  // (left only when not an SVG)
    const beeld = svg || img;
    if (!beeld) { problemen.push(`chart without svg: ${naam(fig)}`); continue; }
    const ruimte = fig.getBoundingClientRect().width;
    const breed = beeld.getBoundingClientRect().width;
    if (breed < 0.9 * ruimte - 1) {
      problemen.push(`chart ${Math.round(breed)} px wide in a container of ${Math.round(ruimte)} px: ${naam(fig)}`);
    }
    if (!svg) continue;
    const teksten = [...svg.querySelectorAll("text")].filter(t => (t.textContent || "").trim() && zichtbaar(t));
    const dozen = [];
    for (const t of teksten) {
      const inhoud = t.textContent.trim();
      if (inhoud.includes("…") || inhoud.endsWith("...")) problemen.push(`cut-off text ${naam(t)}`);
      const ctm = t.getScreenCTM();
      const schaal = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
      const px = parseFloat(getComputedStyle(t).fontSize) * schaal;
      if (px < MIN_PX - 0.01) problemen.push(`text of ${px.toFixed(1)} px ${naam(t)}`);
      const r = t.getBoundingClientRect();
      dozen.push([t, r]);
      const s = getComputedStyle(t);
      const f = rgb(s.fill);
      if (f && s.fill !== "none") {
        const onder = achtergrondSvg(svg, t, r.left + r.width / 2, r.top + r.height / 2);
        const kleur = meng(f, onder, Number(s.fillOpacity) * Number(s.opacity) * f[3]);
        const groot = px >= 24 || (px >= 18.66 && Number(s.fontWeight) >= 700);
        const v = verhouding(kleur, onder);
        if (v < (groot ? GROOT_AA : AA)) problemen.push(`contrast ${v.toFixed(2)}:1 ${naam(t)}`);
      }
    }
    for (let i = 0; i < dozen.length; i++) {
      for (let j = i + 1; j < dozen.length; j++) {
        const a = dozen[i][1], b = dozen[j][1];
        const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (dx > 2 && dy > 2) {
          problemen.push(`overlapping text '${dozen[i][0].textContent.trim().slice(0, 30)}' and ` +
                         `'${dozen[j][0].textContent.trim().slice(0, 30)}' in ${naam(fig)}`);
        }
      }
    }
  }

  // 2. the page's own text: nothing cut off with an ellipsis, contrast AA, no stray pilcrows
  for (const el of document.querySelectorAll("body *:not(svg *):not(script):not(style)")) {
    const eigen = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!eigen || !zichtbaar(el)) continue;
    const s = getComputedStyle(el);
    if (s.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth + 1) {
      problemen.push(`cut-off text ${naam(el)}`);
    }
    if (el.textContent.trim() === "¶") problemen.push(`pilcrow after a heading: ${naam(el.parentElement)}`);
    const c = rgb(s.color);
    if (c) {
      const onder = achtergrondHtml(el);
      const px = parseFloat(s.fontSize);
      const groot = px >= 24 || (px >= 18.66 && Number(s.fontWeight) >= 700);
      const v = verhouding(meng(c, onder, c[3]), onder);
      if (v < (groot ? GROOT_AA : AA)) problemen.push(`contrast ${v.toFixed(2)}:1 ${naam(el)}`);
    }
  }
  return problemen;
}
