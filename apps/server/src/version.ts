import packageJson from '../package.json' with { type: 'json' };

/** The KitePilot version, from the server package. */
export const VERSION: string = packageJson.version;
