/** The pages the login's callback server answers the browser with: the CLI's own, with no outside assets. */

export type LoginPage =
  { readonly kind: 'logged-in' } | { readonly kind: 'failed'; readonly reason: string } | { readonly kind: 'not-found' };

const STYLE = `body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f6f7f9;color:#1d2330;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}main{max-width:32rem;padding:2rem 2.5rem;
background:#fff;border-radius:12px;box-shadow:0 1px 3px #0002}h1{font-size:1.4rem;margin:0 0 .5rem}
.ok h1{color:#16794c}.bad h1{color:#b42318}code{background:#eef0f3;padding:.1rem .3rem;border-radius:4px}`;

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `text` with `code` spans for backticked words, escaped. */
function rich(text: string): string {
  return escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

export function loginPage(page: LoginPage): string {
  const [tone, title, body] =
    page.kind === 'logged-in'
      ? ['ok', 'Logged in to Arcade', 'You can close this tab and return to your terminal.']
      : page.kind === 'failed'
        ? ['bad', 'Login failed', page.reason]
        : ['bad', 'Not found', 'This server only takes the Arcade login callback.'];
  return `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escape(title)}</title><style>${STYLE}</style><main class="${tone}"><h1>${escape(title)}</h1><p>${rich(body)}</p></main>\n`;
}
