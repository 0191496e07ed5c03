// Zukunftswerkstatt live: conditional polling (docs/decisions/0501-live-updates.md), vote and
// card forms without page reloads, timer countdown, drag and drop of cards onto clusters.
// Everything here is an enhancement: without JavaScript the plain forms and links work.
(function () {
  "use strict";
  var POLL_MS = 1200;

  function csrf(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var any = document.querySelector("input[name=csrfmiddlewaretoken]");
    return any ? any.value : "";
  }

  function busy(region) {
    // Do not swap a region while someone types or chooses inside it.
    var active = document.activeElement;
    return active && region.contains(active) &&
      (active.tagName === "TEXTAREA" || active.tagName === "SELECT" ||
       (active.tagName === "INPUT" && active.type !== "hidden" && active.type !== "submit"));
  }

  function swap(region, html, version, mine) {
    var focusedId = document.activeElement && region.contains(document.activeElement)
      ? describe(document.activeElement) : null;
    region.innerHTML = html;
    if (version) region.dataset.version = version;
    if (mine) {
      // The polled part is the same for everyone; this person's points come as JSON.
      applyVotes(region, mine);
      var pending = region.querySelector(".ws-my-pending");
      if (pending) pending.textContent = mine.pending || "";
      region.querySelectorAll(".ws-timer[data-ends]").forEach(function (el) {
        el.dataset.now = mine.now;
      });
    }
    startTimers(region);
    bindDrag(region);
    if (focusedId) {
      var again = region.querySelector(focusedId);
      if (again) again.focus();
    }
  }

  function describe(el) {
    // A selector to find "the same" control after a swap (vote buttons carry card + points).
    var form = el.closest("form");
    if (!form) return null;
    var card = form.querySelector("input[name=card]");
    var pts = form.querySelector("input[name=points]");
    if (card && pts) {
      return "form.ws-vote-form:has(input[name=card][value='" + card.value + "']) " +
        "button[data-dir='" + (el.dataset.dir || "") + "']";
    }
    return null;
  }

  function poll(region) {
    var url = region.dataset.standUrl;
    if (!url) return;
    var inFlight = false;
    function tick() {
      if (inFlight || document.hidden || busy(region)) return;
      inFlight = true;
      fetch(url + "?v=" + encodeURIComponent(region.dataset.version || ""), {
        credentials: "same-origin", cache: "no-store",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        if (response.status === 200) {
          var version = response.headers.get("X-Stand-Version");
          var mine = response.headers.get("X-My-State");
          return response.text().then(function (html) {
            swap(region, html, version, mine ? JSON.parse(mine) : null);
          });
        }
      }).catch(function () { /* offline for a moment: try again next tick */ })
        .then(function () { inFlight = false; });
    }
    setInterval(tick, POLL_MS);
  }

  function applyVotes(region, data) {
    // Update the vote buttons and the counter in place from the server's answer.
    var left = data.left;
    region.querySelectorAll(".ws-vote[data-card]").forEach(function (group) {
      var mine = data.votes[group.dataset.card] || 0;
      var minus = group.querySelector("button[data-dir=minus]");
      var plus = group.querySelector("button[data-dir=plus]");
      group.querySelector(".ws-my-points strong").textContent = mine;
      minus.form.querySelector("input[name=points]").value = mine - 1;
      plus.form.querySelector("input[name=points]").value = mine + 1;
      minus.disabled = mine < 1;
      plus.disabled = mine >= data.max || left < 1;
    });
    var counter = region.querySelector(".ws-left");
    if (counter) counter.textContent = left;
    var alert = region.querySelector(".ws-vote-error");
    if (alert) alert.textContent = data.error || "";
  }

  function enhanceVotes(region) {
    region.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList.contains("ws-vote-form")) return;
      event.preventDefault();
      var button = form.querySelector("button");
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrf(form) }
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") < 0) throw new Error("no json");
        return response.json().then(function (data) {
          applyVotes(region, data);
          if (button && document.body.contains(button) && !button.disabled) button.focus();
        });
      }).catch(function () { form.submit(); });
    });
  }

  function enhanceCardForm() {
    var form = document.getElementById("card-form");
    if (!form) return;
    var feedback = document.getElementById("card-feedback");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrf(form) }
      }).then(function (response) {
        return response.text().then(function (text) {
          feedback.textContent = text;
          feedback.classList.toggle("is-error", !response.ok);
          if (response.ok) form.querySelector("textarea").value = "";
        });
      }).catch(function () {
        feedback.textContent = "Keine Verbindung. Bitte versuchen Sie es gleich noch einmal.";
        feedback.classList.add("is-error");
      }).then(function () { button.disabled = false; });
    });
  }

  function startTimers(root) {
    root.querySelectorAll(".ws-timer[data-ends]").forEach(function (el) {
      var ends = Date.parse(el.dataset.ends);
      var skew = Date.now() - Date.parse(el.dataset.now || new Date().toISOString());
      if (isNaN(ends)) return;
      function show() {
        var left = Math.max(0, Math.round((ends + skew - Date.now()) / 1000));
        var m = Math.floor(left / 60), s = left % 60;
        el.textContent = (left ? "noch " : "Zeit ist um ") + m + ":" + (s < 10 ? "0" : "") + s;
        if (left && document.body.contains(el)) setTimeout(show, 500);
      }
      show();
    });
  }

  function bindDrag(root) {
    root.querySelectorAll(".ws-card[data-card-url]").forEach(function (card) {
      card.addEventListener("dragstart", function (event) {
        event.dataTransfer.setData("text/plain", card.dataset.cardUrl);
        card.classList.add("is-dragging");
      });
      card.addEventListener("dragend", function () { card.classList.remove("is-dragging"); });
    });
    root.querySelectorAll("[data-drop-cluster]").forEach(function (zone) {
      zone.addEventListener("dragover", function (event) {
        event.preventDefault();
        zone.classList.add("is-over");
      });
      zone.addEventListener("dragleave", function () { zone.classList.remove("is-over"); });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        zone.classList.remove("is-over");
        var url = event.dataTransfer.getData("text/plain");
        if (!url) return;
        var body = new FormData();
        body.append("action", "cluster");
        body.append("cluster", zone.dataset.dropCluster);
        fetch(url, {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrf(null) }
        }).then(function () {
          var region = document.getElementById("console-live");
          if (region) region.dataset.version = "";  // fetch the new state at the next tick
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    ["live", "projector-live", "console-live"].forEach(function (id) {
      var region = document.getElementById(id);
      if (!region) return;
      poll(region);
      bindDrag(region);
      if (id === "live") enhanceVotes(region);
    });
    startTimers(document);
    enhanceCardForm();
  });
})();
