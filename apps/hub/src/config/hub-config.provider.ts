/** DI token for the parsed HubConfig. */
export const HUB_CONFIG = Symbol('HUB_CONFIG');
