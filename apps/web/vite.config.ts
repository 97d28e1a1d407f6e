import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const sdk = (path: string) => fileURLToPath(new URL(`../../sdk/src/${path}`, import.meta.url));

// The SDK from its sources (the workspace), as an app would get it from the package's exports.
export default defineConfig({
  base: "./",
  resolve: {
    alias: [
      { find: /^@bttkit\/sdk$/, replacement: sdk("index.ts") },
      { find: /^@bttkit\/sdk\/wallet$/, replacement: sdk("wallet.ts") },
    ],
  },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2_000 },
  // `npm run dev`: the devnode under /node on the page's own origin (it sends no CORS headers).
  server: {
    proxy: {
      "/node": {
        target: process.env.DEVNODE_URL ?? "http://127.0.0.1:9090",
        rewrite: (path) => path.replace(/^\/node/, ""),
      },
    },
  },
});
