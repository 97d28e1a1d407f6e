/** Deployments from disk: `deployments/<network>.json`. Node only. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { checkNetworkName, type Deployment, type DeploymentSource, parseDeployment } from "../deployments.js";
import { DeploymentNotFoundError, InvalidDeploymentError } from "../errors.js";

/** Reads `<dir>/<network>.json` (default dir `deployments`, relative to the working directory). Node only. */
export function fileDeployments(dir = "deployments"): DeploymentSource {
  return {
    async load(network: string): Promise<Deployment> {
      const name = checkNetworkName(network);
      const path = join(dir, `${name}.json`);
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        if ((error as { code?: unknown }).code === "ENOENT") {
          throw new DeploymentNotFoundError(name, undefined, { details: `no file ${path}`, cause: error });
        }
        throw new InvalidDeploymentError(`Could not read ${path}`, { cause: error });
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new InvalidDeploymentError(`${path} is not valid JSON`, { cause: error });
      }
      return parseDeployment(json, name);
    },
  };
}

/** Loads the deployment of `network` from `source` (default: `deployments/<network>.json`). */
export function loadDeployment(network: string, source: DeploymentSource = fileDeployments()): Promise<Deployment> {
  return source.load(network);
}
