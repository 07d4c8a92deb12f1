// The walk-forward parts of @kitepilot/research, for the modules of this folder.
export * from '@kitepilot/research';
