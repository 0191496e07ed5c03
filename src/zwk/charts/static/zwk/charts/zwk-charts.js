// ZWK charts in the browser: embeds every <div class="zwk-chart" data-spec-id="ID"> with the
// Vega-Lite spec found in <script type="application/json" id="ID">.
//
// Works under a strict Content-Security-Policy (no 'unsafe-eval', no inline scripts or styles):
// - `ast: true` makes vega-embed interpret expressions from their syntax tree with the
//   interpreter bundled in vega-embed, instead of compiling them with `new Function`;
// - `defaultStyle: false` and the tooltip's `disableDefaultStyle` stop vega-embed and
//   vega-tooltip from injecting <style> elements; zwk-charts.css holds those rules instead;
// - specs come from JSON script elements (data, never executed), and this file is loaded with
//   <script type="module" src="...">.
import "./vega-bundle.js";

const EMBED_OPTIONS = {
  ast: true,
  renderer: "svg",
  actions: false,
  defaultStyle: false,
  tooltip: { disableDefaultStyle: true },
};

function readSpec(element) {
  const source = document.getElementById(element.dataset.specId || "");
  if (!source) throw new Error(`Keine Diagrammdaten für "${element.dataset.specId}".`);
  return JSON.parse(source.textContent);
}

export async function embedChart(element) {
  element.dataset.zwkState = "loading";
  try {
    const result = await window.vegaEmbed(element, readSpec(element), EMBED_OPTIONS);
    element.dataset.zwkState = "ready";
    return result;
  } catch (error) {
    // The data table beside the chart stays the fallback; keep the failure visible to devs.
    element.dataset.zwkState = "failed";
    console.error("zwk-charts:", error);
    return null;
  }
}

export function embedAll(root = document) {
  const pending = [...root.querySelectorAll(".zwk-chart[data-spec-id]")]
    .filter((element) => !element.dataset.zwkState)
    .map(embedChart);
  return Promise.all(pending);
}

// Module scripts run after parsing, so the document is ready here. htmx swaps in new
// fragments later; embed the charts they bring.
embedAll();
document.addEventListener("htmx:afterSettle", (event) => embedAll(event.target));
