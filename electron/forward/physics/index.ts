// The physics forward model's public surface for the simulator and the CLI. Hot paths are batch functions
// over typed-array columns (one Float64Array per parameter, one Float32Array per output band or a flat
// n x 343 XP block), never per-star objects:
//   loadIsochrones(set).interpolate({massInit, logAge, mh})        -> teff, logg, logL, radius, mass, flags
//   bcTable(library, law).photometry({teff, logg, mh, logL, av, rv, distancePc}) -> Vega mags per band
//   new XpBatchModel(library, law).run(batch, flux, error)         -> XP-like spectra, n x 343
//   new SurveySpectraModel(survey).run(batch, {flux, error, noisy, snr, mag, flags}, random)
//                                                   -> LAMOST/BOSS/APOGEE-like spectra, n x pixels
//   (await PhotometryWorkers.start(table, 2)).photometry(batch) / .xp(batch, flux, error) -> on threads
// One-star reference paths (direct integration): forwardStar, observedSed, xpSpectrum, surveySpectrum,
// ysoSed; grids come from assets/grids through loadGrid.
export { BANDS, loadPassbands, loadVega, type Band, type Passband, type Spectrum } from './bands.ts';
export {
  extinctionCurve,
  extinctionForSed,
  ExtinctionOnGrid,
  LAWS,
  type ExtinctionLaw,
} from './extinction.ts';
export { loadLibrary, LIBRARIES, isLibraryName, type LibraryName } from './atmospheres.ts';
export {
  loadIsochrones,
  ISOCHRONE_SETS,
  isIsochroneSetName,
  FLAG_DEAD,
  FLAG_OUTSIDE,
  FLAG_SOLAR_ONLY,
  type IsochroneSetName,
  type StarBatchIn,
  type StarBatchOut,
} from './isochrones.ts';
export {
  bcTable,
  logLFromRadius,
  BcTable,
  DirectPhotometry,
  PHOT_OUTSIDE,
  type BcTableParts,
  type PhotometryBatch,
  type PhotometryResult,
} from './bc-tables.ts';
export { PhotometryWorkers, sharedXpRows } from './photometry-workers.ts';
export {
  XP_N,
  XpBatchModel,
  xpSpectrum,
  xpWavelengthNm,
  xpLsfFwhmNm,
  xpMergeWeightBp,
  type XpBatch,
} from './xp.ts';
export {
  forwardStar,
  observedSed,
  starFromIsochrones,
  type Observation,
  type StarAtmosphere,
} from './star.ts';
export {
  surveySpectrum,
  surveyWavelength,
  SurveySpectraModel,
  SurveyNoise,
  SURVEYS,
  SPEC_FILLED,
  SPEC_LOGG_CLAMPED,
  SPEC_MH_IGNORED,
  SPEC_OUTSIDE,
  type NoiseLaw,
  type SurveyBatch,
  type SurveyName,
  type SurveyOutputs,
} from './survey-spectra.ts';
export {
  diskFlux,
  envelopeFlux,
  spectralIndex,
  ysoClass,
  ysoSed,
  type DiskParams,
  type EnvelopeParams,
} from './yso-disk.ts';
export { loadRobitailleModelSet, type RobitailleModelSet } from './robitaille.ts';
export { abMagnitude, bandFlux, integrationWeights, vegaMagnitude } from './synthetic-photometry.ts';
