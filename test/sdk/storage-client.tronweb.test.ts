import { storageTronEnv } from "./storage-env.js";
import { runStorageSuite } from "./storage-client-suite.js";

runStorageSuite("TronWebBackend (devnode)", () => storageTronEnv());
