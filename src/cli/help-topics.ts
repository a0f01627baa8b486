/** `arcade help environment` and `arcade help exit-codes`: what a user can set, and what a script can test. */

export const HELP_TOPICS: Readonly<Record<string, string>> = {
  environment: `Environment variables arcade reads

Arcade
  ARCADE_API_KEY                an API key to use instead of the saved login
  ARCADE_CLOUD_URL              Arcade Cloud (default https://cloud.arcade.dev)
  ARCADE_ENGINE_URL             Arcade Engine (default https://api.arcade.dev)
  ARCADE_WORK_DIR               keep state in $ARCADE_WORK_DIR/.arcade instead of ~/.arcade
  ARCADE_LOGIN_TIMEOUT_SECONDS  how long login waits for the browser (default 300)
  BROWSER                       the program login opens the URL with
  ARCADE_DEBUG=1                print a stack trace with an unexpected error

Usage tracking
  ARCADE_USAGE_TRACKING=0       turn tracking off (1 turns it on, over the saved choice)
  DO_NOT_TRACK=1                turn tracking off
  ARCADE_USAGE_DEBUG=1          print events to stderr instead of sending them
  ARCADE_POSTHOG_KEY            the PostHog project key (the build's own by default)
  ARCADE_POSTHOG_HOST           the PostHog host (default https://us.i.posthog.com)

Network
  HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY  proxies, either case, as curl reads them
  NODE_EXTRA_CA_CERTS           a PEM file of extra certificate authorities (a company's TLS inspection)

Files
  XDG_CACHE_HOME                Node 22+ keeps arcade's compiled code in $XDG_CACHE_HOME/arcade (~/.cache)

Terminal
  NO_COLOR                      any value but empty: no colour
  TERM=dumb, CI                 no spinner (and no colour with TERM=dumb); CI or another CI service's variable
`,
  'exit-codes': `Exit codes

  0    success (also when the reader of the output goes away: arcade server list | head -1)
  1    failure, with one line on stderr saying why (not logged in, a network or HTTP error, ...)
  2    usage error: an unknown command or option, a missing or bad argument; also a command
       that must ask first (server rm) when it cannot (stdin is not a terminal) and --yes is not given
  3    cancelled: you answered no to a question; nothing was changed
  130  stopped with Ctrl-C
`,
};
