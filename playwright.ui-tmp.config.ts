// TEMPORARY (UI helper, deleted before hand-off): runs e2e against a dev server on localhost.
import base from "./playwright.config";
export default { ...base, use: { ...base.use, baseURL: process.env.BASE_URL } };
