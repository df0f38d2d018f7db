/*
 * Accessible autocomplete (ARIA 1.2 combobox with a listbox popup), no framework, progressive enhancement.
 *
 * Contract
 * --------
 * Markup (the form works without this script: the server must accept what a person types in the text input):
 *
 *   <input type="text" id="id_city_name" name="city_name"
 *          data-autocomplete-url="/autocompletion/communes/"      required: the JSON endpoint
 *          data-autocomplete-target="id_city"                     optional: id of the input receiving the value
 *          data-autocomplete-min-length="2"                       optional: characters before asking (default 2)
 *          data-autocomplete-param="term">                        optional: query parameter name (default "term")
 *   <input type="hidden" id="id_city" name="city">
 *
 * Endpoint: GET <url>?<param>=<typed text> answers {"results": [{"value": "lyon-69", "label": "Lyon (69)"}, ...]}.
 *
 * Behaviour:
 *   - typing (after a 200 ms pause) asks the endpoint and shows the options in a listbox under the input;
 *     typing also empties the target input, so that a stale value is never submitted with a new text;
 *   - ArrowDown / ArrowUp move through the options (aria-activedescendant, focus stays in the input), Enter or a
 *     click chooses one, Escape closes the list (a second Escape clears the text), Tab closes it;
 *   - choosing an option writes its label in the text input and its value in the target input, then dispatches
 *     "change" on the target and a bubbling "autocomplete:select" event ({detail: {value, label}}) on the input;
 *   - the number of suggestions is announced in a polite live region.
 *
 * Styles are set through the CSSOM (element.style), which a Content-Security-Policy without 'unsafe-inline'
 * allows, so including this one file is enough. No inline script is needed: the script finds the inputs itself.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var counter = 0;

  function setStyles(element, styles) {
    Object.keys(styles).forEach(function (name) {
      element.style[name] = styles[name];
    });
  }

  function Autocomplete(input) {
    this.input = input;
    this.url = input.getAttribute("data-autocomplete-url");
    this.param = input.getAttribute("data-autocomplete-param") || "term";
    this.minLength = parseInt(input.getAttribute("data-autocomplete-min-length") || "2", 10);
    var targetId = input.getAttribute("data-autocomplete-target");
    this.target = targetId ? document.getElementById(targetId) : null;
    this.results = [];
    this.activeIndex = -1;
    this.timer = null;
    this.controller = null;
    if (!input.id) {
      counter += 1;
      input.id = "autocomplete-" + counter;
    }
    this.build();
    this.bind();
  }

  Autocomplete.prototype.build = function () {
    var input = this.input;
    var parent = input.parentElement;
    if (window.getComputedStyle(parent).position === "static") {
      parent.style.position = "relative";
    }
    this.listbox = document.createElement("ul");
    this.listbox.id = input.id + "-listbox";
    this.listbox.setAttribute("role", "listbox");
    var label = input.labels && input.labels.length ? input.labels[0] : null;
    if (label) {
      if (!label.id) {
        label.id = input.id + "-label";
      }
      this.listbox.setAttribute("aria-labelledby", label.id);
    }
    this.listbox.hidden = true;
    setStyles(this.listbox, {
      position: "absolute",
      zIndex: "1000",
      left: "0",
      right: "0",
      margin: "0",
      padding: "0",
      listStyle: "none",
      maxHeight: "20rem",
      overflowY: "auto",
      background: "var(--background-default-grey, #fff)",
      border: "1px solid var(--border-default-grey, #ddd)",
      boxShadow: "0 4px 12px rgba(0, 0, 18, 0.16)",
    });
    input.insertAdjacentElement("afterend", this.listbox);

    this.status = document.createElement("div");
    this.status.className = "fr-sr-only";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.listbox.insertAdjacentElement("afterend", this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    input.setAttribute("autocomplete", "off");
  };

  Autocomplete.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () {
      self.onInput();
    });
    this.input.addEventListener("keydown", function (event) {
      self.onKeydown(event);
    });
    this.input.addEventListener("blur", function () {
      // Let a click on an option land first.
      window.setTimeout(function () {
        self.close();
      }, 150);
    });
    this.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the input
    });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        self.choose(parseInt(option.getAttribute("data-index"), 10));
      }
    });
  };

  Autocomplete.prototype.onInput = function () {
    var self = this;
    if (this.target) {
      this.target.value = "";
    }
    window.clearTimeout(this.timer);
    var term = this.input.value.trim();
    if (term.length < this.minLength) {
      this.render([]);
      return;
    }
    this.timer = window.setTimeout(function () {
      self.fetch(term);
    }, DEBOUNCE_MS);
  };

  Autocomplete.prototype.fetch = function (term) {
    var self = this;
    if (this.controller) {
      this.controller.abort();
    }
    this.controller = "AbortController" in window ? new AbortController() : null;
    var separator = this.url.indexOf("?") === -1 ? "?" : "&";
    var url = this.url + separator + encodeURIComponent(this.param) + "=" + encodeURIComponent(term);
    window
      .fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: this.controller ? this.controller.signal : undefined,
      })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        if (self.input.value.trim() === term) {
          self.render(data.results || []);
        }
      })
      .catch(function () {
        /* Aborted or offline: the form still works without suggestions. */
      });
  };

  Autocomplete.prototype.render = function (results) {
    var self = this;
    this.results = results;
    this.activeIndex = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.listbox.textContent = "";
    results.forEach(function (result, index) {
      var option = document.createElement("li");
      option.id = self.input.id + "-option-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      option.textContent = result.label;
      setStyles(option, { padding: "0.5rem 0.75rem", cursor: "pointer" });
      self.listbox.appendChild(option);
    });
    if (results.length) {
      this.open();
      this.status.textContent =
        results.length + (results.length > 1 ? " suggestions disponibles." : " suggestion disponible.");
    } else {
      this.close();
      this.status.textContent = this.input.value.trim().length >= this.minLength ? "Aucune suggestion." : "";
    }
  };

  Autocomplete.prototype.open = function () {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Autocomplete.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.activeIndex = -1;
  };

  Autocomplete.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Autocomplete.prototype.highlight = function (index) {
    var options = this.listbox.querySelectorAll("[role=option]");
    if (!options.length) {
      return;
    }
    this.activeIndex = (index + options.length) % options.length;
    for (var i = 0; i < options.length; i += 1) {
      var active = i === this.activeIndex;
      options[i].setAttribute("aria-selected", active ? "true" : "false");
      setStyles(options[i], {
        background: active ? "var(--background-action-high-blue-france, #000091)" : "",
        color: active ? "var(--text-inverted-blue-france, #fff)" : "",
      });
    }
    var current = options[this.activeIndex];
    this.input.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  };

  Autocomplete.prototype.choose = function (index) {
    var result = this.results[index];
    if (!result) {
      return;
    }
    this.input.value = result.label;
    if (this.target) {
      this.target.value = result.value;
      this.target.dispatchEvent(new Event("change", { bubbles: true }));
    }
    this.close();
    this.status.textContent = "";
    this.input.dispatchEvent(
      new CustomEvent("autocomplete:select", { bubbles: true, detail: { value: result.value, label: result.label } })
    );
  };

  Autocomplete.prototype.onKeydown = function (event) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!this.isOpen() && this.results.length) {
          this.open();
        }
        this.highlight(this.activeIndex + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!this.isOpen() && this.results.length) {
          this.open();
        }
        this.highlight(this.activeIndex < 0 ? -1 : this.activeIndex - 1);
        break;
      case "Enter":
        if (this.isOpen() && this.activeIndex >= 0) {
          event.preventDefault(); // choose, do not submit yet
          this.choose(this.activeIndex);
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          if (this.target) {
            this.target.value = "";
          }
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  function init(root) {
    var inputs = (root || document).querySelectorAll("input[data-autocomplete-url]");
    Array.prototype.forEach.call(inputs, function (input) {
      if (!input.autocompleteWidget) {
        input.autocompleteWidget = new Autocomplete(input);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init();
    });
  } else {
    init();
  }
  // Content swapped in by htmx gets its autocompletes too.
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
  window.inclusionAutocomplete = { init: init };
})();
