() => {
  const el = document.querySelector('[data-screen]');
  return (el && el.getAttribute('data-screen')) || document.title || location.pathname;
}
