(kind) => {
  const shown = (el) => el.checkVisibility({visibilityProperty: true});
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  const found = [];
  const add = (name, el) => {
    if (norm(name)) found.push([norm(name), el ? [el.name || "", el.id].filter(Boolean) : []]);
  };
  const FIELDS = "input:not([type=hidden]),select,textarea,[contenteditable],"
    + "[role=textbox],[role=searchbox],[role=combobox],[role=checkbox],[role=radio],"
    + "[role=switch],[role=spinbutton],[role=slider],[role=listbox]";
  if (kind === "test id") {
    for (const el of document.querySelectorAll("[data-testid]")) {
      if (shown(el)) add(el.getAttribute("data-testid"));
    }
  } else if (kind === "placeholder") {
    for (const el of document.querySelectorAll("[placeholder]")) {
      if (shown(el)) add(el.getAttribute("placeholder"), el);
    }
  } else if (kind === "label") {
    for (const el of document.querySelectorAll(FIELDS)) {
      if (!shown(el)) continue;
      const ids = el.getAttribute("aria-labelledby");
      const aria = el.getAttribute("aria-label");
      if (ids) {
        add(ids.split(/\s+/).map((id) => {
          const label = document.getElementById(id);
          return label ? label.textContent : "";
        }).join(" "), el);
      } else if (aria && aria.trim()) {
        add(aria, el);
      } else {
        for (const label of el.labels || []) add(label.textContent, el);
      }
    }
  } else {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node && found.length < 500; node = walker.nextNode()) {
      if (node.parentElement && shown(node.parentElement)) add(node.data);
    }
  }
  return found.slice(0, 500);
}
