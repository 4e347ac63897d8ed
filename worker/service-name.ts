// Imported first by worker/index.ts so every module's logger sees this process as the worker.
process.env.ONSALE_SERVICE ??= "worker";
