// Whether a list offers the option with this label (an element that is not a
// <select> is left to Playwright, which names what it is instead).
([select, label]) =>
  !(select instanceof HTMLSelectElement) || [...select.options].some((option) => option.label === label)
