// Preloaded into the app under test by `npm run bench -- --profile` (NODE_OPTIONS=--import <this file>,
// since NODE_OPTIONS refuses --cpu-prof): SIGUSR2 starts a V8 CPU profile, the next SIGUSR2 writes it to
// $ONSALE_CPU_PROFILE_DIR/<pid>.cpuprofile, so only the measured window is recorded.
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

const dir = process.env.ONSALE_CPU_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  let running = false;
  process.on("SIGUSR2", () => {
    if (!running) {
      session.post("Profiler.enable");
      session.post("Profiler.start");
      running = true;
      return;
    }
    running = false;
    session.post("Profiler.stop", (err, result) => {
      if (err) console.error(`cpu-profile: ${err.message}`);
      else fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
