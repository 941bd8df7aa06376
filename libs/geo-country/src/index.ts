export * from './country-lookup';
