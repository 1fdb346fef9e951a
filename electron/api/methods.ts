// The method table: every request the UI can make, with the schema of its argument and of its answer.
// Both transports (Electron IPC, browser-mode WebSocket) dispatch through this one table, and every
// argument is validated against it before a handler sees it.
import { z } from 'zod';
import { AppInfo } from './app.ts';
import { AddRecentParams, DirListing, FileEntry, ListParams, RecentList, StatParams } from './files.ts';
import {
  ChecksumResult,
  ColumnStatsParams,
  ColumnStatsResult,
  ExportParams,
  ExportResult,
  HduRef,
  HeaderResult,
  ImageTile,
  ImageTileParams,
  InspectFile,
  PixelParams,
  PixelResult,
  RowsParams,
  RowsResult,
  SortParams,
  SortResult,
  SpectrumResult,
} from './inspect.ts';
import { GalaxyClusters, GalaxyClustersParams, GalaxyLoadParams, GalaxyStars } from './galaxy.ts';
import {
  CatalogInspectParams,
  CatalogInspection,
  DemoSky,
  ModelList,
  ModelPlot,
  ModelPlotParams,
  PredictiveParams,
  RunCmd,
  RunExport,
  RunExportParams,
  RunInfo,
  RunRef,
  SaveMappingParams,
  StarParams,
  StarPosterior,
  StarPredictive,
  SummaryWindow,
  SummaryWindowParams,
} from './infer.ts';
import { JobIdParams, JobSnapshot, JobStartParams } from './jobs.ts';
import { Settings, SettingsPatch } from './settings.ts';

const NoParams = z.object({}).strict();

export const methods = {
  'app.info': { params: NoParams, result: AppInfo },
  'settings.get': { params: NoParams, result: Settings },
  'settings.set': { params: SettingsPatch, result: Settings },
  'files.list': { params: ListParams, result: DirListing },
  'files.stat': { params: StatParams, result: FileEntry },
  'files.recent': { params: NoParams, result: RecentList },
  'files.addRecent': { params: AddRecentParams, result: RecentList },
  'files.clearRecent': { params: NoParams, result: RecentList },
  'jobs.start': { params: JobStartParams, result: JobSnapshot },
  'jobs.cancel': { params: JobIdParams, result: z.object({ cancelled: z.boolean() }) },
  'jobs.list': { params: NoParams, result: z.array(JobSnapshot) },
  'fits.open': { params: StatParams, result: InspectFile },
  'fits.header': { params: HduRef, result: HeaderResult },
  'fits.checksum': { params: HduRef, result: ChecksumResult },
  'fits.rows': { params: RowsParams, result: RowsResult },
  'fits.sort': { params: SortParams, result: SortResult },
  'fits.columnStats': { params: ColumnStatsParams, result: ColumnStatsResult },
  'fits.imageTile': { params: ImageTileParams, result: ImageTile },
  'fits.pixel': { params: PixelParams, result: PixelResult },
  'fits.spectrum': { params: HduRef, result: SpectrumResult },
  'fits.export': { params: ExportParams, result: ExportResult },
  'galaxy.load': { params: GalaxyLoadParams, result: GalaxyStars },
  'galaxy.clusters': { params: GalaxyClustersParams, result: GalaxyClusters },
  'models.list': { params: NoParams, result: ModelList },
  'models.plot': { params: ModelPlotParams, result: ModelPlot },
  'catalog.inspect': { params: CatalogInspectParams, result: CatalogInspection },
  'catalog.saveMapping': { params: SaveMappingParams, result: z.object({ saved: z.boolean() }) },
  'demo.sky': { params: NoParams, result: DemoSky },
  'runs.info': { params: RunRef, result: RunInfo },
  'runs.summaryWindow': { params: SummaryWindowParams, result: SummaryWindow },
  'runs.star': { params: StarParams, result: StarPosterior },
  'runs.export': { params: RunExportParams, result: RunExport },
  'runs.cmd': { params: RunRef, result: RunCmd },
  'runs.predictive': { params: PredictiveParams, result: StarPredictive },
  /** A native file chooser for FITS files; only the Electron transport has one. */
  'dialog.chooseFile': {
    params: z.object({ title: z.string().max(200).optional() }).strict(),
    result: z.object({ path: z.string().nullable() }),
  },
  /** A native folder chooser; only the Electron transport has one (see AppInfo.transport). */
  'dialog.chooseDirectory': {
    params: z.object({ title: z.string().max(200).optional() }).strict(),
    result: z.object({ path: z.string().nullable() }),
  },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (defaults may be left out). */
export type MethodParams<M extends MethodName> = z.input<Methods[M]['params']>;
/** What a handler receives, after validation filled in the defaults. */
export type MethodArgs<M extends MethodName> = z.output<Methods[M]['params']>;
export type MethodResult<M extends MethodName> = z.output<Methods[M]['result']>;

export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
