// Draws every <canvas data-chart='{"type","labels","values","label"}'> with Chart.js (no inline script: CSP).
(function () {
  var PALETTE = ['#b5443a', '#2f6f9f', '#3f8f4f', '#c28a1d', '#6b4fa0', '#4a4a4a'];
  function draw() {
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var spec = JSON.parse(canvas.getAttribute('data-chart'));
      new Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.datasets ? spec.datasets.map(function (d, i) {
                  return { label: d.label, data: d.data, borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length] };
                }) : [{ label: spec.label, data: spec.values, backgroundColor: PALETTE[0] }] },
        options: { animation: false, responsive: true, plugins: { legend: { display: !!spec.datasets } },
                   scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
      canvas.setAttribute('data-rendered', 'true');
    });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', draw); } else { draw(); }
})();
