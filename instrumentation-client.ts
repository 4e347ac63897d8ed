// Runs in the browser before the app's own code. zod compiles object parsers with `new Function` when it
// may; under the page CSP (no 'unsafe-eval', server/security-headers.ts) its probe for that is reported as a
// violation even though zod catches it. Jitless parsing skips the probe; forms parse little, so it costs nothing.
// Only the config from zod's core: this runs on every page, and the rest of zod loads with the forms that use it.
import { config } from "zod/v4/core";

config({ jitless: true });
