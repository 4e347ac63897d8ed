// Partner channels and their API keys (used by the channel price API). The admin layout checks the role;
// the browser reads and changes them through admin.channels.*.
import type { Metadata } from "next";
import { Channels } from "./channels";
import adminStyles from "../_components/admin.module.css";

export const metadata: Metadata = { title: "Partner channels" };

export default function AdminChannelsPage() {
  return (
    <>
      <header className={adminStyles.adminHead}>
        <div>
          <h1>Partner channels</h1>
          <p className="muted">
            Each partner gets a channel code and API keys for the price API. A key is shown once, when it is issued; we keep only a hash.
          </p>
        </div>
      </header>
      <Channels />
    </>
  );
}
