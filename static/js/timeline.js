// The timeline (tasks/templates/tasks/timeline.html), as a file: the Content-Security-Policy
// allows no inline script.
// Bring today's line into view on a narrow screen, with a little of the past on its left.
(function () {
  var scroller = document.getElementById("timeline-scroll");
  var today = document.getElementById("timeline-today");
  if (scroller && today && scroller.scrollWidth > scroller.clientWidth) {
    scroller.scrollLeft = Math.max(0, parseFloat(today.dataset.x) - scroller.clientWidth / 3);
  }
})();
