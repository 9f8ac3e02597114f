// Pages of the offline package are kept as their own parts alone (JSON: title, description, stylesheets,
// head, body_class, main, and the endpoint whose link is the current page), with the app's shell kept once
// at PAGE_SHELL: the head, header, menus, tab bar and footer that wrap every page. The service worker
// puts a page back together here before it answers with it, so the browser gets the page the server draws
// (webapp/templating.py, page_part_json; templates/pwa/shell.html marks the places).

export const PAGE_SHELL = "/offline/shell";
// Sent with each URL of the package: pages may come as their parts (a worker without this file gets them whole).
export const PARTS_ASKED = { "X-Page-Parts": "1" };
const PART_HEADER = "X-Page-Part";
const PLACE = /<!--shell:(\w+)(?: ([\w.]+))?-->/g;

export function isPart(response) {
  return Boolean(response) && response.headers.get(PART_HEADER) === "1";
}

// The page's HTML: each marked place of the shell takes its part; the navigation's marks become
// aria-current on the current page's link and vanish elsewhere.
export function assemble(shell, part) {
  return shell.replace(PLACE, (_, name, endpoint) => {
    if (name === "current") return endpoint === part.endpoint ? 'aria-current="page"' : "";
    return typeof part[name] === "string" ? part[name] : "";
  });
}

// A response the browser can show: the page put together, with the headers the server sent with its parts
// (the content security policy above all), as an HTML page. null when the part or the shell cannot be read.
export async function pageFromPart(response, shellResponse) {
  if (!shellResponse) return null;
  let part;
  try {
    part = await response.clone().json();
  } catch {
    return null;
  }
  const html = assemble(await shellResponse.clone().text(), part);
  const headers = new Headers(response.headers);
  headers.delete(PART_HEADER);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  headers.set("Content-Type", "text/html; charset=utf-8");
  return new Response(html, { status: response.status, statusText: response.statusText, headers });
}
