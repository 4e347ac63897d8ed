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
  // Every other answer gets its security headers from proxy.ts (server/security-headers.ts); Next's own files
  // (chunks, optimized images) skip the proxy and only need their declared types believed.
  async headers() {
    return [{ source: "/_next/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] }];
  },
};

export default nextConfig;
