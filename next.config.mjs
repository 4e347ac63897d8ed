/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Packages with native bindings or Node-only internals stay outside the server bundle.
  serverExternalPackages: ["@node-rs/argon2", "pino", "bullmq", "ioredis", "pg", "@prisma/adapter-pg"],
  typedRoutes: false,
  // next dev serves its dev resources only to these hosts; tests and docs use both spellings.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  // forbidden() answers 403 with app/forbidden.tsx (the admin dashboard, for signed-in fans).
  experimental: { authInterrupts: true },
};

export default nextConfig;
