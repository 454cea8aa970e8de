/**
 * Response bodies the simulated applications send: the chapter's version pages, nginx's welcome
 * and error pages, the to-do app. Written for this project; they only need to look like what a
 * learner would see from the real images.
 */

/** The index page of a `kiamol/ch09-vweb` release: the version in big letters on a coloured page. */
export function renderVersionPage(version: string, background: string): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    `    <title>${version}</title>`,
    '    <style>',
    `      body { background-color: ${background}; font-family: monospace; }`,
    '      h1 { font-size: 80px; font-weight: 800; }',
    '    </style>',
    '  </head>',
    '  <body>',
    `    <h1>${version}</h1>`,
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}

/** The page a fresh nginx serves at `/`. */
export const NGINX_WELCOME_PAGE = [
  '<!DOCTYPE html>',
  '<html>',
  '<head>',
  '<title>Welcome to nginx!</title>',
  '</head>',
  '<body>',
  '<h1>Welcome to nginx!</h1>',
  '<p>If you see this page, the nginx web server is successfully installed and',
  'working. Further configuration is required.</p>',
  '<p><em>Thank you for using nginx.</em></p>',
  '</body>',
  '</html>',
  '',
].join('\n');

/** The page nginx ships for 5xx errors. */
export const NGINX_50X_PAGE = [
  '<!DOCTYPE html>',
  '<html>',
  '<head>',
  '<title>Error</title>',
  '</head>',
  '<body>',
  '<h1>An error occurred.</h1>',
  '<p>Sorry, the page you are looking for is currently unavailable.<br/>',
  'Please try again later.</p>',
  '</body>',
  '</html>',
  '',
].join('\n');

/**
 * nginx's built-in error page: `404 Not Found` with the server signature, CRLF line endings as
 * nginx writes them.
 */
export function renderNginxErrorPage(status: number, statusText: string, version: string): string {
  return [
    '<html>',
    `<head><title>${status} ${statusText}</title></head>`,
    '<body>',
    `<center><h1>${status} ${statusText}</h1></center>`,
    `<hr><center>nginx/${version}</center>`,
    '</body>',
    '</html>',
    '',
  ].join('\r\n');
}

/** What the to-do web app shows: its list page, or the form that adds an item. */
export interface TodoPageOptions {
  page: 'list' | 'new' | 'not-found';
  readOnly: boolean;
  /** Where the app believes its database is, from its configuration. */
  databaseProvider: string;
  /** The pod answering, which the app prints in its footer. */
  hostname: string;
}

/** The to-do list application's HTML. */
export function renderTodoPage(options: TodoPageOptions): string {
  const heading =
    options.page === 'new' ? 'New item' : options.page === 'not-found' ? 'Page not found' : 'To-do list';
  const body =
    options.page === 'new'
      ? options.readOnly
        ? '<p>The to-do list is read-only: new items cannot be added right now.</p>'
        : '<form method="post" action="/new"><input name="item" placeholder="What needs doing?" /><button>Add</button></form>'
      : options.page === 'not-found'
        ? '<p>There is no page here. Go back to the <a href="/">to-do list</a>.</p>'
        : `<p>Nothing on the to-do list yet.</p>${options.readOnly ? '<p><em>Read-only mode: the list cannot be changed.</em></p>' : '<p><a href="/new">Add an item</a></p>'}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '  <meta charset="utf-8" />',
    `  <title>${heading} - Kiamol To-Do List</title>`,
    '</head>',
    '<body>',
    `  <h1>${heading}</h1>`,
    `  ${body}`,
    `  <footer>Kiamol to-do list, served by ${options.hostname} (database: ${options.databaseProvider})</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
