// Sends the browser's time zone with the sign-up form, so days and streaks follow the user's clock.
export function fillTimezone(root) {
  const fields = [...root.querySelectorAll('[data-timezone-form] input[name="timezone"]')];
  // Only pages with such a form ask: the first Intl formatter of a page costs tens of milliseconds on a phone.
  if (!fields.length) return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  for (const field of fields) field.value = zone;
}
