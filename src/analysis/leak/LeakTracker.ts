// Incremental memory-leak detection for one series (RSS, heap after major GC, native or
// GPU memory) that holds across GC rhythms it was never tuned for:
// 1. GcCycles finds the drops in the series and sets a floor horizon that spans the
//    longest recent GC cycle, so every block's minimum is a post-GC level.
// 2. Several windows (2 min to 3.2 h) each take about a dozen block floors and run a trend
//    test with a confidence interval; a window reports a leak only when the floors rise
//    significantly, faster than minSlope, by more than a one-off allowance, and neither
//    one or two level shifts nor growth that has flattened explains them better.
// 3. When GC runs every few minutes, a run of rising floors of whole cycles reports
//    sooner than any window can, and so do the readings of a heap after GC that is read
//    at major GCs minutes apart; when GC runs often or not at all, so do floors that
//    climbed along a straight line, or a staircase of like steps, from where growth began.
// 4. A reported leak clears as soon as the post-GC floors of the last cycles (or those
//    readings), or the last two recent blocks, stop climbing; it comes back at once if the
//    floor climbs again at its pace within resumeMs (resolve_for: a stepwise leak's pause).
// (Past 300 lines because the four steps share the scratch buffers and the verdict.)
// Time comes from the samples only, and judging happens on a fixed grid of data time (and,
// on a series declared smooth, at each bucket's first sample), so a replay of the same
// samples gives the same verdicts whatever calls verdict().

import { linearRegression } from "simple-statistics";
import { spanOfTime } from "../../text/spanOfTime.js";
import { FloorBuckets } from "./FloorBuckets.js";
import { type Climb, emptyClimb, FLOOR_LOG, GcCycles, loneBurst } from "./GcCycles.js";
import { hingeFit } from "./hingeFit.js";
import { leakTrackerConfig, type LeakTrackerConfig } from "./LeakTrackerConfig.js";
import type { LeakVerdict } from "./LeakVerdict.js";
import { Readings } from "./Readings.js";
import { median, TrendScratch, trendTest } from "./trendTest.js";

/** Floors a window aims for: enough for the test, few enough to stay cheap. */
const TARGET_POINTS = 12;
/**
 * Shortest window in which three level shifts that fit the floors far better than a line
 * are taken for one-off steps (a cache, a model loaded): a stepwise leak steps every few
 * minutes, so in two hours it makes a dozen steps or more, never a staircase of three.
 */
const STAIRCASE_MS = 2 * 3_600_000;
const MIN_POINTS = 6;
/**
 * While a leak is reported, a window's trend keeps it when it holds at this share of the
 * level z that raised it (3.09 → 2.32: one-sided 0.1 % → 1 %). A slow leak's trend drifts
 * in and out of significance with the floors' wander, and each time it fell out the
 * report ended and the alert resolved and fired again. Besides it, only a long window's
 * allowance is eased (YOUNG_GROWTH, ARRIVING_GROWTH): a stop and the level-shift tests
 * end a report as before.
 */
const HOLD_LEVEL = 0.75;
/** A window is re-judged when a block of new data is in, and at least this often (buckets). */
const REJUDGE_BUCKETS = 30;
/** Post-GC floors of whole cycles looked at, and how many must rise in a row. */
const CYCLE_FLOORS = 7;
const RISING_FLOORS = 4;
/**
 * ...or how many, if no burst in their ramps came to more than BURST_FREE_SHARE of their
 * rise: a cycle sooner (tuning seeds 2001-2060, median: 0.2 MB/s under GC every 5-10
 * minutes 21.0 -> 15.3 minutes, 1 MB/s under GC every 1-5 minutes 7.4 -> 6.2), and no
 * false alarm was added.
 */
const BURST_FREE_FLOORS = 3;
const BURST_FREE_SHARE = 0.2;
/** ...lying close to a straight line: no floor further from it than this share of the rise. */
const LINE_FIT = 0.1;
/** ...with no one cycle carrying more than this share of it: a cache fills at once. */
const ONE_CYCLE_SHARE = 0.6;
/** Two jumps in a row of this many times the one-off allowance are a leak, not a cache. */
const FAST_JUMP = 2;
/** ...and of readings at major GCs, over this long at most: two gaps of up to 10 minutes. */
const READING_JUMPS_MS = 1_200_000;
/**
 * ...and at least this long: a cache fills in under a minute, and the jumps' sizes tell it
 * from a leak. A fast JS-heap leak brings major GCs 20-50 s apart, and its third reading
 * may come less than two minutes after its first: asking two minutes, as of cycle floors,
 * 5 MB/s for 4 minutes went unreported until it stopped in 2 of 60 (the second corpus's
 * tuning seeds, with the process's own series), now none; 90th percentile 3.1 -> 2.3
 * minutes, no other delay moved, and no false alarm came in 300 leak-free seed-weeks.
 */
const READING_JUMPS_MIN_MS = 60_000;
/**
 * A leak that began between two readings lifts the first of its jumps by the share of the
 * gap it spanned: that jump need only pass the start-up allowance, at down to this share of
 * the second's pace. Asking both 200 MB at like paces, a leak's first two readings counted
 * only when it began in the first half of the gap (tuning seeds 2001-2060 read every
 * 1.5-8.5 minutes, found at the median (90th percentile): 5 MB/s 10.0 (14.7) minutes, now
 * 8.3 (13.1); 1 MB/s 12.4 (15.5), now 11.5 (13.8); no false alarm in 400 tuning
 * seed-weeks each of start-up, one-off steps and load read so, as before).
 */
const LEAK_START_SHARE = 0.25;
/**
 * A cycle's floor is one sample, not a block's minimum, so it reads a few MB either side:
 * a rising run must pass the start-up allowance by this factor.
 */
const CYCLE_FLOOR_MARGIN = 1.2;
/** A rising run of cycle floors must span this long: a cache fills in under a minute. */
const RISING_MIN_MS = 120_000;
/**
 * A run of floors spanning this long, of at least LONG_RUN_FLOORS floors, has outlasted what
 * start-up and load add at once (6 and 10 minutes at most in the corpus), and needs only the
 * long-window allowance, as a run over burstMs does: under GC every 5-10 minutes four cycles
 * span 20-40 minutes, and 0.05 MB/s waited for 30 of them (tuning seeds 2001-2060: 35
 * minutes median, now 31). Four floors over 20 minutes were not enough: a start-up and a
 * one-off step then fired in 400 tuning seed-weeks each.
 */
const LONG_RUN_MS = 1_200_000;
const LONG_RUN_FLOORS = 5;
/**
 * ...or of this many cycle floors, when it rose this many times the long-window allowance
 * (70 MB) besides the bursts in its ramps. A start-up's first seconds and a cache filling
 * show as bursts: four floors asked 60 MB with them counted fired once each in 400 tuning
 * seed-weeks of start-up and of one-off steps. A start-up that grew over minutes shows
 * none: 60 MB besides the bursts fired once in 400 under GC every 5-10 minutes. A steady
 * leak shows no burst: there 0.05 MB/s was found in 28.6 minutes instead of 31.0 (median,
 * tuning seeds 2001-2060).
 */
const STEADY_RUN_FLOORS = 4;
const STEADY_RUN_MARGIN = 1.4;
/**
 * ...and of readings at major GCs (readingsRising), this many: a reading shows a level up
 * to a gap late, so a load ramp of ten minutes read 6-8 minutes apart spread over five
 * readings and 23 minutes, and fired (load, 100 tuning seed-weeks: 1; with six, 0 of 400).
 */
const LONG_RUN_READINGS = 6;
/**
 * A series declared smooth whose value changes no more often than this is read at major GCs,
 * and its readings are judged as cycle floors are (readingsRising). A series declared read
 * at major GCs (readAtGc: the heap after GC) counts every change: a fast JS-heap leak
 * brings major GCs 20-50 s apart, and asking a minute between readings, 5 MB/s for 4
 * minutes went unreported until it had stopped in 10 of 60 (the second corpus's tuning
 * seeds 12001-12060, with the process's own series), now 2 (none since
 * READING_JUMPS_MIN_MS); no other leak's delay moved, and no false alarm came in its 300
 * leak-free seed-weeks.
 */
const READING_GAP_MS = 60_000;
/** The span whose lowest sample stands for a level in lowRise, ms. */
export const LOW_SPAN_MS = 60_000;
/**
 * Windows at least this long do not stretch to six floors of the GC horizon while a GC
 * rhythm is known: they judge the post-GC floors of the cycles within them (see
 * cycleBlockFloors). The horizon follows the longest recent cycle, so under irregular GC
 * (cycles of seconds to ten minutes) every window under an hour stretched to an hour, and
 * 0.05 MB/s waited for it (tuning seeds 2001-2060: 28 minutes median, 50 at the 90th
 * percentile; 27 and 31 now; 0.2 MB/s 23 and 39, now 14 and 23). Such windows under
 * burstMs ask what the onset check asks over start-up's allowance, as a busy ramp's do: a
 * cycle floor is one sample, on a busy ramp up to a sample's climb above the level, and
 * with 100 MB a load ramp's floors fired (load, 60 tuning seed-weeks: 1). Windows under 15
 * minutes judged so found no leak sooner.
 */
const BY_CYCLES_MIN_MS = 900_000;
/**
 * A block floor read to raise a leak, of a block this long or longer on a series not
 * declared smooth, starts at the block's first post-GC floor, where it holds one. Before it
 * the block holds the end of the ramp before, and when memory stepped up within the block (a
 * cache, a second model) that ramp lay below every post-GC level after the step: the
 * block's lowest sample stood between the levels before and after it, a third level that
 * neither one nor two level shifts fit. Under GC every 5-10 minutes two caches half an hour
 * apart, read so by an hour's six block floors, were reported as a leak of 0.18 MB/s
 * (one-off steps forced to that GC, 200 tuning seed-weeks: 2 alarms, 1 now). Shorter blocks
 * are those of GC faster than a few samples, whose drops hide in the sampling. A reported
 * leak's floors are read as before: read so, slow leaks whose trend wanders about its level
 * resolved and fired again more often (12 -> 16 times in the 160 leaks of the test that
 * keeps their alert up).
 */
const POST_GC_BLOCK_MS = 120_000;
/** Cycle floors further apart on average than this many of the longest GC cycle are no rhythm. */
const GC_RHYTHM_CYCLES = 1.25;
/**
 * Growth in a window under STAIRCASE_MS needs this many times the long-window allowance:
 * its few floors also hold a one-off step and the wander about it (a 29 MB step and 12 MB
 * of wander read as 41 MB). So does a longer window before it reports a leak: a one-off
 * step or a restart that came back higher, and the floors' chance drift about it, read
 * as 40-46 MB of growth at 0.005-0.007 MB/s over 2-3 hours (tuning seed-weeks 5201-5600
 * forced to GC every 5-10 minutes: 5 alarms each of start-up and one-off steps, now 3
 * each). Once it has, it keeps the report down to the allowance itself, so a slow leak's
 * report does not end and come back as its floors wander (tuning seeds 2001-2060: 0.01
 * MB/s found 2-11 minutes later at the median, re-alerts 84 -> 82 of 3,000).
 */
const YOUNG_GROWTH = 1.25;
/**
 * Growth that began under burstMs ago needs this many times the long-window allowance even
 * in a long window, to report a leak: load ramps in 20-80 MB over 1-10 minutes, and its
 * floors, read over half an hour, made 50-64 MB of steady growth (tuning seed-weeks
 * 5201-5600, load forced to GC every 1-5 minutes: 8 alarms at 1.25, 2 at 1.5, 3 at 1.4;
 * forced to irregular GC: 5, 2, 2). Cost: 0.05 MB/s found 0.3-2.1 minutes later at the
 * median. A report is kept on YOUNG_GROWTH: kept on this too, 0.05 MB/s leaks' reports
 * ended and came back 5 more times in 3,000 tuning traces.
 */
const ARRIVING_GROWTH = 1.5;
/**
 * Windows of at least this many burstMs, and under STAIRCASE_MS, whose floors are too few
 * for the trend test to reach its level (six or seven: an hour under GC every 5-10
 * minutes) need this many times their allowance: six floors that rise in a row pass
 * whatever their scatter, and a restart that came back higher, or a one-off step, with the
 * floors' wander read as 53-58 MB over an hour (start-up and one-off steps, 400 tuning
 * seed-weeks each: 3 and 2 alarms, now 1 and 1). Shorter windows find 0.05 MB/s in time
 * only on their 50 MB; longer ones hold a dozen floors, weak only when they wander
 * together, and find 0.01 MB/s (asked more, 0.5-3.5 minutes later at the median).
 */
const WEAK_WINDOW_BURSTS = 1.5;
const WEAK_GROWTH = 1.25;
/** Windows up to this many of the longest GC cycle can hold nothing but one GC ramp. */
const RAMP_WINDOW_CYCLES = 1.1;
/**
 * ...and cannot call a ramp from standing still a leak before it has lasted this many of
 * the longest GC cycle (5.5 min by default: a major GC every 1-5 minutes ends it sooner).
 */
const RAMP_AGE_CYCLES = 0.55;
/**
 * The climb across GC cycles is judged against what the recent collections freed; until the
 * series has been watched for this many of the longest GC cycle, the few it has seen say
 * little of what one may free (see climbOutgrowsGc).
 */
const CLIMB_WATCH_CYCLES = 1.1;
/** A rise under the allowance over this many is standing still, not a GC ramp. */
const STILL_GROWTH = 8;
/**
 * The stopped-growth check must keep finding a stop for this share of its block: a single
 * look at two block floors is fooled by floors that wander by a few MB, and a slow leak's
 * alert then resolved and fired again (0.01 MB/s, 60 tuning traces: 56 times, now 18).
 * Not when the climb the block promises passes the long-window allowance: no floor wanders
 * by half that, and a stopped 1-5 MB/s leak's alert resolved 1.5 minutes later for it.
 */
const STALL_PERSIST = 0.5;
/**
 * ...nor when the shortest block (RECENT_BUCKETS) promises this share of the allowance:
 * floors 3 minutes apart wander by a MB or two, and waiting out half a block kept a
 * stopped 0.2 MB/s leak (36 MB a block) reported 1.5 minutes longer under GC every 3-30 s
 * (tuning seeds, until resolved, 90th percentile: steady 9.0 → 7.5 minutes, stepwise 10.3
 * → 9.5; no re-alert more over the 3,000 traces). Its floors still span two horizons
 * (STOP_HORIZONS): with one, a floor that held no collection read high now and then, and
 * the worst of six judging seeds in steps took 10.8 minutes, not 8.7.
 */
const SHORT_BLOCK_SHARE = 0.75;
/**
 * ...nor on a series declared smooth when the floor rose under this share of the promised
 * climb, over a block of at most `QUICK_STOP_MAX_MS`: with no GC to lift its floors, such
 * a shortfall is no wander, and waiting out half a block kept a stopped 0.05 MB/s leak's
 * alert up 2 minutes longer (tuning seeds 5001-5200, steady: resolved at the 90th percentile
 * 11.6 → 9.6 minutes after the stop). Over longer blocks (leaks under 0.02 MB/s) the floor's
 * slow wander does fall that short: without the bound, 0.01 MB/s leaks were resolved and
 * raised again 125 times in 400 traces (4 with it). Under a saw-tooth, RSS floors lifted by
 * garbage do too: at 0.05 MB/s under GC every 3-30 s, 37 re-alerts in 200 traces, not 8.
 */
const QUICK_STOP_SHARE = 0.25;
const QUICK_STOP_MAX_MS = 720_000;
/**
 * Under GC faster than the sampling, a slow leak's stop compares floors of this many GC
 * horizons: a floor of one holds a post-GC level only when a collection lands in it, and
 * when none does it reads high, and that look restarted the stop's wait. At 0.05 MB/s
 * under GC every 3-30 s the condition cleared 6.7 minutes after the last growth, not 8.9
 * (median, tuning seeds 2001-2060). Not under slower GC, whose horizon is minutes long:
 * there such floors lag (0.05 MB/s under GC every 1-5 minutes cleared 3 minutes later at
 * the 90th percentile), though they kept a few more slow leaks from resolving and firing
 * again (over 2,400 tuning RSS traces 71 re-alerts, not 79). Nor when the block promises
 * the long-window allowance: no garbage hides a stop that size.
 */
const STOP_HORIZONS = 2;
/**
 * A series that has not changed for this share of the stopped-growth block says nothing
 * about a stop: the heap after GC is read at each major GC, which may come minutes apart,
 * and between them its gauge repeats the last reading. Taken for a stop, that held a
 * 0.05-1 MB/s leak read every 1.5-8.5 minutes to be resolved and raised again 90 times
 * in 320 tuning traces (65 before the quicker stop above); 25 with this.
 */
const STALE_SHARE = 0.5;
/** A floor that climbed less than this share of what the slope promises has stopped growing. */
const STOP_SHARE = 0.5;
/** The stopped-growth check's climb must pass this share of the long-window allowance. */
const WANDER_SHARE = 3;
/** Shortest block of the stopped-growth check (buckets): 3 min, a stepwise leak's usual gap. */
const RECENT_BUCKETS = 18;
/** How a steady leak's stop shows in the last of its post-GC levels (see lastLevelStops). */
interface LevelStop {
  /** Levels before the last that must each have kept the pace. */
  readonly steady: number;
  /** ...and whose paces kept within this factor of each other, for the share below. */
  readonly band: number;
  /** Whether the last level rising under half the reported pace is a stop too. */
  readonly halfPace: boolean;
  /** Shortest gap between levels, ms. */
  readonly minGapMs: number;
}
/**
 * A steady leak's stop shows in the floor after the first drop past it that lands early
 * enough: one cycle that rose under half the pace, after three cycles that each kept it, is
 * a stop, not a slow cycle. Without it the stop waited for a floor two cycles and 3 minutes
 * past an earlier one, often the second drop after the stop. When those three cycles rose
 * at paces within 5 % of each other, a cycle under 0.9 of the slowest is a stop too: a
 * steady leak's cycle floors hold little garbage (tuning seeds 2001-2060, steady leaks,
 * resolved at the median (90th percentile) under GC every 5-10 minutes: 1 MB/s 10.6
 * (14.1) minutes, now 8.4 (12.9); 5 MB/s 8.5 (11.3), now 7.1 (8.6); under GC every 1-5
 * minutes 7.8 (9.9), now 7.0 (8.6) at 5 MB/s). With a band of 10 %, a stepwise 0.2 MB/s
 * leak's floors looked steady for three cycles, and its alert resolved and fired again.
 */
const CYCLE_STOP: LevelStop = { steady: 3, band: 1.05, halfPace: true, minGapMs: 0 };
/**
 * Readings at major GCs minutes apart (readingsRising) hold no garbage: a steady leak lifts
 * each at its pace to a few per cent, and the first reading after its stop holds only the
 * growth up to the stop. So a reading under 0.9 of the slowest pace of the four before it,
 * paces within 10 % of each other, is a stop. Before, the stop waited for a reading 3
 * minutes back and half the pace short, often the second after the stop (tuning seeds
 * 2001-2060, read every 1.5-8.5 minutes, resolved at the median (90th percentile): 1 MB/s
 * 11.8 (15.1) minutes, now 9.8 (12.0); 5 MB/s 12.1 (14.9), now 9.6 (11.9)). A stepwise
 * leak's readings jump unevenly, as steps land in some gaps and not others, but may look
 * steady for a few gaps: asking three readings, or a band of 15 %, or half the pace alone,
 * 1-8 more of its 180 traces of 0.2-5 MB/s resolved and fired again while it went on.
 */
const READING_STOP: LevelStop = {
  steady: 4,
  band: 1.1,
  halfPace: false,
  minGapMs: READING_GAP_MS,
};
/** The last level rising under this share of the slowest steady pace before it is a stop. */
const STEADY_STOP_SHARE = 0.9;
/**
 * A leak whose recent cycle floors rose more than this share in bursts comes in steps:
 * its ramp stands still between steps and a cycle may hold none, so neither the ramp nor
 * one cycle tells its stop (stepwise leaks under GC every minute or slower or irregular
 * GC, 900 tuning traces: resolved and fired again 74 times with them, 49 without, as before).
 */
const STEPS_SHARE = 0.5;
/**
 * ...but its steps tell it: it has stopped when no step came for this many of its gaps
 * (see stepsStop). Its steps come at the pace of the work that leaks (every N utterances),
 * so its gaps vary, but not twofold about their mean; the corpus's are 0.5-1.5 of it, and
 * 1.6 gaps would fit that too closely. Before, under GC every 5-10 minutes, the stop
 * waited for the floors two cycles past the last step (tuning seeds 2001-2060, 1 MB/s in
 * steps: cleared 13.2 minutes after the last step at the median, now 5.0; 4.0 with 1.6
 * gaps, 6.0 with 2.5).
 */
const STEP_GAPS = 2;
/**
 * ...when its steps stand this many times as far above their ramp as a burst must: noise
 * hides a step nearer that now and then, and the pause then looks twice as long. Without
 * this, 0.2 MB/s in steps of about 19 MB under GC every 5-10 minutes ended 2 minutes after
 * it was reported (tuning seeds 2001-2060 and 6001-6060, 3,000 traces each: 82 and 105
 * re-alerts, 81 and 101 with this, 80 and 99 before stepsStop).
 */
const STEP_NOISE = 2;
/**
 * An ended report resumes when its climb is found this many buckets in a row after the
 * first: a floor of two buckets on a saw-tooth of cycles up to 30 s can miss the post-GC
 * level once (a stopped 130 MB ramp resumed 4 minutes after it had ended).
 */
const RESUME_PERSIST = 1;
/**
 * The onset check looks this far back for where growth began: 0.2 MB/s passes the start-up
 * allowance within it.
 */
const ONSET_LOOKBACK_MS = 900_000;
/** ...and needs at least this many floors, the onset's included, since then. */
const ONSET_FLOORS = 5;
/** ...over at least this long: a cache fills, or a model loads, within 30 s. */
const ONSET_MIN_MS = 90_000;
/** Bucket floors of a ramp the ramp rule's rate is read from, at most: its last 20 minutes. */
const RAMP_POINTS = 120;
/**
 * A climb across GC cycles (see climbOutgrowsGc) is news only when the floors carried at
 * least this share of its excess: with less it is the ramp under way's, which
 * rampOutgrowsGc judges. The floors' wander of a few MB otherwise lifted a ramp that a
 * cache hidden in a drop had swollen past twice the biggest drop (one-off steps, 200
 * tuning seed-weeks: 1 alarm; 0 with this).
 */
const CLIMB_FLOORS_SHARE = 0.15;
/**
 * ...and it looks this far back for the lowest floor, the farther only when the climb from
 * the nearer does not pass twice the biggest drop. Under GC every 5-10 minutes 15 minutes
 * hold two or three floors, too few to carry a leak past the drops (tuning seeds, 1 MB/s:
 * median 9.6 minutes with 15 alone, 9.0 with 30 as well). Under irregular GC 30 minutes
 * hold more ramps, whose bursts, set aside, may sink a climb that 15 pass (1 MB/s, seed
 * 2023: 2.5 minutes with 15, 5.3 with 30 alone).
 */
const CLIMB_LOOKBACKS_MS = [ONSET_LOOKBACK_MS, 2 * ONSET_LOOKBACK_MS];
/** ...and a rise past the start-up allowance by this factor, for the floors' noise. */
const ONSET_MARGIN = 1.1;
/** ...and on a busy series (GC hidden in the sampling) this many floor scatters more. */
const ONSET_SCATTERS = 3;
/**
 * ...so there it also reads floors this many horizons long. Under GC faster than the
 * sampling a floor of four samples may miss the post-GC level; one of eight scatters less
 * (4.1 -> 3.0 MB, median over the 60 tuning seed-weeks of GC every 3-30 s), which a slow
 * leak gains more from than the 10-20 s it lags (0.2 MB/s there: 90th percentile 13.3 ->
 * 11.0 minutes, tuning seeds 2001-2060).
 */
const BUSY_ONSET_HORIZONS = 2;
/**
 * A stepwise leak climbs the onset floors in steps and strays from their line by up to half
 * a step: the line may be missed by that much more when the rise came in at least this
 * many steps (see likeSteps), the smallest at least STAIR_LIKE of the largest (a leak's
 * steps are of one size; 20 MB steps read as 14-29 MB in 3 MB of noise). Two steps may be
 * two caches filling. 0.2 MB/s in steps on smooth series, tuning seeds 5001-5100: 11.9 min
 * median, now 8.3.
 */
const STAIR_STEPS = 3;
const STAIR_LIKE = 1 / 3;
const STAIR_SLACK = 0.5;
/** ...each step within this many floors: it lands between two, or straddles one. */
const STEP_FLOORS = 2;
/**
 * ...and carrying this share of the rise: a leak's floor stands still between steps, so
 * its steps carry all of the rise but noise and a step missed in it, while a straight
 * 100 MB start-up over 4 minutes whose noisy floors jumped five times carried 50-70 % in
 * its jumps (and fired, 1 of 300).
 */
const STAIR_CARRIES = 0.7;
/**
 * ...each step over this many scatters of one floor on RSS: floors under GC faster than the
 * sampling scatter by tens of MB, and with steps of a tenth of the rise alone read a 91 MB
 * ramp as a staircase, and 100 MB ones over 1-6 minutes (24 of 300 fired, 10 now); with
 * six, load that comes and goes made one in 400 tuning seed-weeks.
 */
const STAIR_SCATTERS = 8;
/**
 * ...and on a series declared smooth, whose floors are single buckets: with 6-8 MB of
 * noise they jump by a tenth of the rise now and then, and 100 MB start-ups fired (157 of
 * 300, 6 now); with eight, a 20 MB step in 3 MB of noise read as no step now and then.
 */
const SMOOTH_STAIR_SCATTERS = 6;

/**
 * Growth seen stopped: what the floor rose over how long, and for how many buckets to
 * persist; or, for a leak in steps, that no step of about `step` bytes came for `ms`.
 */
interface Stall {
  mb: number;
  ms: number;
  persist: number;
  step?: number;
}

/** A stall in words: what the floor rose, or which step did not come, and over how long. */
const stallWords = (stall: Stall): string =>
  stall.step === undefined
    ? `the floor rose only ${MB(stall.mb)} MB over the last ${spanOfTime(stall.ms)}`
    : `no step of about ${MB(stall.step)} MB came in the last ${spanOfTime(stall.ms)}`;

/** A staircase in the onset floors (see likeSteps). */
interface Stair {
  steps: number;
  /** The largest step, bytes. */
  largest: number;
  /** The pace from the first step to the last, bytes/s. */
  between: number;
  /** How the gaps between steps varied: their standard deviation over their mean. */
  gapCv: number;
}

/**
 * A rate read from a few intervals (the gaps between a staircase's steps, the GC cycles
 * between rising floors) is stated with an interval meant to hold the true rate nine times
 * in ten: the mean of n intervals is off by PACE_Z times their spread over √n (normal
 * quantile, two-sided 90 %).
 */
const PACE_Z = 1.645;
/**
 * ...their spread taken as at least this share of their mean: a stepwise leak steps with
 * the work, which comes irregularly, and two or three gaps seldom show how irregularly...
 */
const PACE_CV = 0.3;
/** ...and the interval reaching at most this many times the rate. */
const PACE_MAX = 4;
/**
 * Two jumps of the floor are two steps when a burst in their ramps carried over this share
 * of the smaller one...
 */
const JUMP_BURST_SHARE = 0.5;
/**
 * ...and then the rate is stated within these shares of it: the 90 % interval of a rate
 * counted from two events (Poisson: 0.355 to 6.30 events where two were seen).
 */
const TWO_EVENTS = [0.178, 3.15] as const;

/**
 * The interval [low, high] into `out` for a `rate` read as one step or climb per interval
 * over `n` intervals whose lengths (or paces) vary by `cv` (standard deviation over mean).
 */
function paceInterval(rate: number, cv: number, n: number, out: Float64Array): void {
  const spread = (PACE_Z * Math.max(cv, PACE_CV)) / Math.sqrt(Math.max(n, 1));
  out[0] = rate / (1 + spread);
  out[1] = rate / Math.max(1 - spread, 1 / PACE_MAX);
}

/** The coefficient of variation of `n` values that sum to `sum` and whose squares sum to `squares`. */
function gapSpread(n: number, sum: number, squares: number): number {
  if (n < 2 || sum <= 0) return 0;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, squares / n - mean * mean) * (n / (n - 1))) / mean;
}

interface WindowState {
  ms: number;
  /** The span judged: `ms`, or longer when the GC horizon needs it. */
  spanMs: number;
  judgedAt: number; // bucket
  blockBuckets: number;
  valid: boolean;
  leaking: boolean;
  slope: number;
  slopeLow: number;
  slopeHigh: number;
  since: number;
  scale: number;
  /** Built only when read: judging runs far more often than anyone reads why. */
  reason: () => string;
}

/** The climb (bytes) growth at `slope` bytes/s promises over `ms`. */
const climbOf = (slope: number, ms: number): number => (slope * ms) / 1000;
/** Whether a floor that rose `rose` bytes over `ms` fell short of the climb `slope` (bytes/s) promises. */
const fellShort = (rose: number, slope: number, ms: number): boolean =>
  rose < STOP_SHARE * climbOf(slope, ms);
const MB = (bytes: number): string => (bytes / 1e6).toFixed(bytes < 1e6 ? 3 : 1);
const MBps = (bytesPerSecond: number): string => (bytesPerSecond / 1e6).toFixed(3);

export class LeakTracker {
  readonly config: LeakTrackerConfig;
  private readonly cycles: GcCycles;
  private readonly buckets: FloorBuckets;
  private readonly scratch = new TrendScratch(TARGET_POINTS * 2);
  private readonly pt = new Float64Array(TARGET_POINTS * 2);
  private readonly pv = new Float64Array(TARGET_POINTS * 2);
  private readonly out = new Float64Array(3);
  private readonly climb: Climb = emptyClimb();
  private readonly rate = new Float64Array(4);
  private readonly steps = new Float64Array(5);
  private readonly rampT = new Float64Array(RAMP_POINTS);
  private readonly rampV = new Float64Array(RAMP_POINTS);
  private readonly cycleFloors = new Float64Array(2 * CYCLE_FLOORS);
  private readonly readings = new Readings(CYCLE_FLOORS);
  /** Shortest gap between readings (READING_GAP_MS, or none where declared readAtGc). */
  private readonly readingGapMs: number;
  private readonly readingStop: LevelStop;
  private readonly readingFloors = new Float64Array(2 * CYCLE_FLOORS);
  private readonly loggedFloors = new Float64Array(2 * (FLOOR_LOG + 1));
  private readonly onsetFloors: Float64Array;
  private readonly onsetSteps: Float64Array;
  private readonly windows: WindowState[];
  private firstBucket = NaN;
  private lastT = -Infinity;
  private judgedBucket = NaN;
  /** The bucket from which the stopped-growth check has kept finding a stop. */
  private stallFirst = NaN;
  /** The last bucket judged while a leak was reported. */
  private reportedAt = -Infinity;
  /** The last report that ended, while it may resume, and when it ended (data time). */
  private ended: Verdict | undefined;
  private endedAt = -Infinity;
  /** The verdict a resumed report returned as: if it ends too, it may not resume again (judge). */
  private resumed: Verdict | undefined;
  /** The bucket from which an ended report has kept climbing at its pace. */
  private resumeFirst = NaN;
  /**
   * What the last look at a report's steps found (stepsStop): its last step (data time),
   * and whether they go on: the next is not due yet (the last came within one gap). Until
   * then the floors' stand between steps is no stop, and a step after a report ended
   * resumes it. Re-alerts over 3,000 tuning traces 81 -> 64 (seeds 2001-2060; 96 -> 77 on
   * 6061-6120), and no clear moved by more than 0.3 minutes at the median. Held for two
   * gaps (until stepsStop ends it) instead, stopped leaks in steps under GC every 1-5
   * minutes cleared up to a minute later (90th percentile) for no fewer re-alerts.
   */
  private stepLastT = NaN;
  private stepsGoOn = false;
  /** The last verdict the ramp rule (rampOutgrowsGc) gave. */
  private rampReport: Verdict | undefined;
  /** The last verdict the climb rule (climbOutgrowsGc) gave. */
  private climbReport: Verdict | undefined;
  private current: Verdict = new Verdict(
    { leaking: false, slope: 0, slopeLow: 0, slopeHigh: 0, since: undefined, windowMs: 0 },
    () => "no samples yet",
  );

  constructor(config: Partial<LeakTrackerConfig> = {}) {
    this.config = leakTrackerConfig(config);
    this.readingGapMs = this.config.readAtGc ? 0 : READING_GAP_MS;
    this.readingStop = { ...READING_STOP, minGapMs: this.readingGapMs };
    const longest = this.config.windowsMs[this.config.windowsMs.length - 1]!;
    // A series declared smooth has no saw-tooth for a floor to span: its floors are the
    // buckets', and a block twice that long only made them lag a ramp by 10 s more.
    const horizonMs =
      this.config.maxGcCycleMs === 0 ? this.config.bucketMs : this.config.minHorizonMs;
    // A GC rhythm is remembered for a day, so work that resumes after idle hours is
    // judged with the rhythm it had; a faster one replaces it within sixteen cycles.
    this.cycles = new GcCycles(
      this.config.maxGcCycleMs,
      horizonMs,
      86_400_000,
      this.config.minGrowth / STILL_GROWTH,
    );
    this.buckets = new FloorBuckets(this.config.bucketMs, longest);
    const onsetBlocks = Math.ceil(ONSET_LOOKBACK_MS / Math.max(horizonMs, this.config.bucketMs));
    this.onsetFloors = new Float64Array(2 * (onsetBlocks + 1));
    this.onsetSteps = new Float64Array(onsetBlocks + 1);
    this.windows = this.config.windowsMs.map((ms) => ({
      ms,
      spanMs: ms,
      judgedAt: -Infinity,
      blockBuckets: 0,
      valid: false,
      leaking: false,
      slope: 0,
      slopeLow: 0,
      slopeHigh: 0,
      since: NaN,
      scale: 0,
      reason: () => "",
    }));
  }

  /** One sample: data time in ms, value in bytes. Out-of-order or non-finite samples are skipped. */
  observe(tMs: number, bytes: number): void {
    if (!Number.isFinite(tMs) || !Number.isFinite(bytes) || tMs < this.lastT) return;
    this.lastT = tMs;
    // A reading, or its repeat, is news at its own time: the judgement at tMs sees it.
    this.readings.observe(tMs, bytes);
    const k = this.buckets.bucketOf(tMs);
    const opensBucket = k > this.judgedBucket;
    if (Number.isNaN(this.firstBucket)) {
      this.firstBucket = k;
      this.judgedBucket = k;
    } else if (opensBucket) {
      // The buckets before k are complete: judge on them before k's sample lands.
      this.judgedBucket = k;
      this.judge(k - 1, tMs);
    }
    this.cycles.observe(tMs, bytes);
    this.buckets.add(tMs, bytes);
    // On a series declared smooth a climbing floor is its bucket's first sample: the onset
    // check looks at it now, not a bucket later (1 MB/s: 10 s sooner). Its horizon is one
    // bucket (see the constructor).
    if (opensBucket && this.config.maxGcCycleMs === 0 && !this.current.leaking)
      this.risingSinceOnset(k, 1, tMs, false);
  }

  verdict(): LeakVerdict {
    return this.current;
  }

  /**
   * How far the series rose from data time `fromMs` to `toMs`, past its noise and GC
   * cycles: its lowest sample over the minute up to `toMs` less its lowest over the minute
   * up to `fromMs` (a minute before `toMs` at the latest). NaN where that reaches past the
   * floors kept (the longest window) or into a gap.
   */
  lowRise(fromMs: number, toMs: number): number {
    const minute = Math.max(1, Math.round(LOW_SPAN_MS / this.config.bucketMs));
    const last = this.buckets.bucketOf(toMs);
    const since = Math.min(this.buckets.bucketOf(fromMs), last - minute);
    return this.floorRise(last, last - since, minute) ?? NaN;
  }

  private judge(last: number, t: number): void {
    const was = this.current;
    this.decide(last, t);
    if (was.leaking && !this.current.leaking) {
      // A resumed report that ends again needs new evidence, unless its pace promises the
      // long-window allowance (40 MB) over the stopped-growth check's shortest block (3
      // min): resuming on and on, a stopped slow leak's wandering floor kept its alert up
      // for the rest of the trace, but no floor wanders by half that in 3 minutes.
      const recentMs = RECENT_BUCKETS * this.config.bucketMs;
      const again = was !== this.resumed || this.promisesAllowance(was.pace, recentMs);
      this.ended = again ? was : undefined;
      this.endedAt = t;
    }
  }

  private decide(last: number, t: number): void {
    const { bucketMs } = this.config;
    if (this.current.leaking) this.reportedAt = last;
    const horizon = Math.ceil(this.cycles.horizon(t) / bucketMs);
    // Whether growth goes on is read from floors of at least minHorizonMs: a declared-smooth
    // series' floors are single buckets, whose two samples' noise passed for a stop.
    const stillHorizon = Math.max(horizon, Math.ceil(this.config.minHorizonMs / bucketMs));
    let decided: WindowState | undefined;
    let widest: WindowState | undefined;
    let shortest: WindowState | undefined;
    let previous = 0;
    // A ramp from standing still on a series with no known GC rhythm may be the first GC
    // cycle after idle hours: windows no longer than a GC cycle cannot tell, until the
    // ramp has lasted longer than GC cycles usually do.
    const cycleMs = this.config.maxGcCycleMs * RAMP_WINDOW_CYCLES;
    // Samples that kink by more than standing still allows, from one to the next, are a GC
    // faster than the sampling: that process was busy, not idle, and its ramp is growth.
    const collecting = this.cycles.kink() > this.config.minGrowth / STILL_GROWTH;
    const ramp = this.cycles.unexplainedRampMs(t) < RAMP_AGE_CYCLES * this.config.maxGcCycleMs;
    const young = !collecting && ramp;
    // ...but its floors scatter by tens of MB: until the ramp is old enough not to be a GC
    // cycle, short windows ask what the onset check asks over the allowance.
    const busyRamp = collecting && ramp;
    const rhythm = this.config.maxGcCycleMs > 0 && this.cycles.rhythmKnown(t);
    for (const w of this.windows) {
      // A window too short for six floors of this horizon is stretched to hold them, unless
      // a GC rhythm is known: then it judges the post-GC floors of the cycles within it.
      const own = Math.round(w.ms / bucketMs);
      const stretched = Math.max(own, MIN_POINTS * horizon);
      const byCycles = rhythm && stretched > own && w.ms >= BY_CYCLES_MIN_MS;
      // The stretched window such a window stands in for is judged by none.
      if (!byCycles && stretched === previous) {
        w.valid = false;
        continue;
      }
      previous = stretched;
      const total = byCycles ? own : stretched;
      w.spanMs = total * bucketMs;
      const block = byCycles
        ? Math.ceil(total / TARGET_POINTS)
        : Math.max(horizon, Math.ceil(total / TARGET_POINTS));
      // The horizon creeps while a GC cycle is under way; re-judge when it has moved enough.
      const moved = block > w.blockBuckets * 1.25 || block < w.blockBuckets * 0.8;
      if (moved || last - w.judgedAt >= Math.min(block, REJUDGE_BUCKETS)) {
        w.blockBuckets = block;
        w.judgedAt = last;
        this.judgeWindow(w, last, block, Math.floor(total / block), busyRamp, byCycles);
      }
      if (!w.valid) continue;
      if (young && w.leaking && w.spanMs <= cycleMs) {
        w.leaking = false;
        const { spanMs } = w;
        w.reason = () =>
          `floor rising over ${spanOfTime(spanMs)}, but from standing still with no GC rhythm seen: it may be the first GC cycle after idle, judged once it has lasted ${((RAMP_AGE_CYCLES * this.config.maxGcCycleMs) / 60_000).toFixed(1)} min`;
      }
      widest = w;
      shortest ??= w;
      if (w.leaking) decided = w;
    }
    // A window whose growth has stopped gives the verdict its reason: that is why it ended.
    let stopped: WindowState | undefined;
    if (!decided) this.stallFirst = NaN;
    else if (this.stalled(decided, last, stillHorizon, t, collecting)) {
      decided.leaking = false;
      stopped = decided;
      decided = undefined;
    }
    // A floor rule's lookback still holds growth a window has just seen stop, or that ended
    // a report: it may not raise the leak again (it held a stopped 1 MB/s leak a
    // quarter-minute longer, and its end then gave a window's "not a significant trend" for
    // a reason). Within resumeMs of the end only the same pace resumes it, below.
    // A steady leak's stop that shows in its ramp or last cycle (stopShows) ends its report
    // at once: no floor rule, held pace or resumed climb, whose lookbacks still hold the
    // growth before the stop, keeps it or brings it back while the floors may hold that
    // growth (a GC cycle past resumeMs). Under GC every 5-10 minutes a cycle-floor rule
    // otherwise held a stopped 5 MB/s leak to the second drop after its stop.
    const { resumeMs } = this.config;
    const report = this.reportInView(t);
    const halt =
      report && this.stopShows(report.pace, report.start, last, t, stillHorizon * bucketMs);
    // A stop seen, by a window's stop check or by stopShows, is news no lookback outweighs.
    const stopSeen = stopped !== undefined || halt !== undefined;
    if (
      !decided &&
      !stopSeen &&
      t - this.endedAt > resumeMs &&
      (this.cyclesRising(t) ||
        this.readingsRising(t) ||
        this.rampOutgrowsGc(last, t, collecting) ||
        this.climbOutgrowsGc(last, t, collecting) ||
        this.risingSinceOnset(last, horizon, t, collecting) ||
        (collecting && this.risingSinceOnset(last, BUSY_ONSET_HORIZONS * horizon, t, collecting)))
    )
      return;
    // A leak reported stays reported while the floor keeps the pace it was reported at, or
    // its steps go on (halt looked at them).
    const stepping = report !== undefined && this.stepsGoOn;
    if (
      !decided &&
      !stopSeen &&
      this.current.leaking &&
      (stepping || this.keepsRising(last, stillHorizon, t, shortest) !== false)
    )
      return;
    // A leak that ended because its floor stood still, and now climbs again at the pace it
    // was reported at, is the same leak after a pause (a stepwise leak's gap): it resumes.
    // Re-alerts over 2,000 tuning leak traces (seeds 5001-5040): 199, now 65.
    const ended = this.ended;
    const climbs =
      ended !== undefined &&
      !decided &&
      !stopSeen &&
      !this.current.leaking &&
      t - this.endedAt <= resumeMs &&
      ((stepping && this.stepLastT > this.endedAt) ||
        this.keepsRising(last, stillHorizon, t, shortest, ended) === true);
    if (!climbs) this.resumeFirst = NaN;
    else if (Number.isNaN(this.resumeFirst)) this.resumeFirst = last;
    if (climbs && last - this.resumeFirst >= RESUME_PERSIST) {
      this.current = this.resumed = new Verdict(
        ended,
        () => `${ended.reason}; it paused and resumed at that pace`,
        ended.pace,
        ended.start,
      );
      return;
    }
    const chosen = decided ?? stopped ?? widest;
    if (!chosen) {
      this.current = new Verdict(
        { leaking: false, slope: 0, slopeLow: 0, slopeHigh: 0, since: undefined, windowMs: 0 },
        () =>
          `not enough data yet: the shortest window needs ${MIN_POINTS} floors of ${Math.round((horizon * bucketMs) / 1000)} s`,
      );
      return;
    }
    const since = chosen.leaking
      ? Math.min(this.current.since ?? Infinity, chosen.since)
      : undefined;
    const start = chosen.leaking
      ? Math.min(this.current.start ?? Infinity, chosen.since)
      : undefined;
    // A stop the ramp or the last cycle showed is why the report ended, not a window's trend.
    let why = chosen.reason;
    if (halt && report && !chosen.leaking && !stopped) {
      const pace = report.pace;
      why = () => `leak of ${MBps(pace)} MB/s, but ${stallWords(halt)}: growth has stopped`;
    }
    this.current = new Verdict(
      {
        leaking: chosen.leaking,
        slope: chosen.slope,
        slopeLow: chosen.slopeLow,
        slopeHigh: chosen.slopeHigh,
        since,
        windowMs: chosen.spanMs,
      },
      why,
      chosen.slope,
      start,
    );
  }

  /**
   * When GC runs every few minutes the windows need many of them; the floors of whole
   * cycles say it sooner. Leaking when the last floors (the cycle under way included) rose
   * at every cycle, by more than the start-up allowance, in steps of like size (not one
   * jump, nor one burst within a ramp), over at least two minutes. Sets the verdict and
   * returns true when so.
   */
  private cyclesRising(t: number): boolean {
    const f = this.cycleFloors;
    const n = this.cycles.recentFloors(CYCLE_FLOORS, f);
    let run = n - 1;
    while (run > 0 && f[2 * run - 1]! < f[2 * run + 1]!) run--;
    // The run may reach back into floors before the leak that rose by their jitter alone:
    // the shortest tail of it that reads as a leak counts.
    for (let first = n - RISING_FLOORS; first >= run; first--) {
      if (this.risingFrom(f, first, n, t)) return true;
    }
    // Three floors suffice when no burst lifted them: a cache that filled as a collection
    // ran, hidden in its drop, lifts one floor, and a step shows as a burst.
    const first = n - BURST_FREE_FLOORS;
    if (first >= run && this.risingFrom(f, first, n, t, false, BURST_FREE_SHARE)) return true;
    return this.cyclesJumping(t, n);
  }

  /**
   * A leak of megabytes a second under GC every few minutes lifts the ramp under way past
   * anything a collection frees long before the next drop shows it in a floor. Leaking
   * when the ramp has risen above its floor by twice the biggest recent drop, and past that
   * drop, bursts aside, by more than start-up adds, over at least ONSET_MIN_MS. The stop
   * checks hold the leak to that excess over the ramp's age, a pace it surely kept, so
   * they ask no more of the next floors than the leak gives; the rate stated is the ramp's
   * (see rampRate). `collecting`: the series kinks as GC faster than the sampling does (see
   * decide). Sets the verdict when so.
   */
  private rampOutgrowsGc(last: number, t: number, collecting: boolean): boolean {
    // Such a series collects faster than it is sampled: most of its drops hide between
    // samples, and the "ramp" since the last one seen is no ramp. A cache filling across
    // such kinks showed no burst. A noise of 3 MB kinks about that much, so a leak this rule
    // reported it keeps whatever the kink (flickering, it ended a 5 MB/s leak's report, and
    // the alert resolved and fired again).
    const ours = this.current === this.rampReport;
    if (this.config.maxGcCycleMs === 0 || (collecting && !ours)) return false;
    const excess = this.cycles.rampExcess(t, this.out);
    if (excess < CYCLE_FLOOR_MARGIN * this.config.burstGrowth) return false;
    const from = this.out[0]!;
    const rise = this.out[2]! - this.out[1]!;
    const seconds = (t - from) / 1000;
    if (seconds * 1000 < ONSET_MIN_MS) return false;
    const low = excess / seconds;
    if (low < this.config.minSlope) return false;
    const rate = this.rampRate(from, last, t, low, rise / seconds);
    this.rampReport = this.reportRated(
      from,
      t,
      rate,
      "since its last GC",
      rise,
      excess,
      low,
      rate[3]!,
    );
    return true;
  }

  /**
   * A leak that runs across GC cycles lifts their floors as well as the ramp under way.
   * Under irregular GC, or a slow one with a leak of about 1 MB/s, the ramp alone seldom
   * passes twice the biggest drop before the next drop comes, and the floors seldom rise at
   * every cycle, as cyclesRising asks. Leaking when the climb from the lowest floor of the
   * last 15 minutes, or of the last 30 where that one shows none (CLIMB_LOOKBACKS_MS),
   * across the drops since, passes rampOutgrowsGc's test (twice the biggest recent drop,
   * and that drop plus what start-up adds, bursts aside, over at least ONSET_MIN_MS), the
   * floors carried CLIMB_FLOORS_SHARE of its excess, no floor's rise over the one before
   * carried over ONE_CYCLE_SHARE of it (a cache that filled as a collection ran hides in
   * its drop and lifts one floor), nor its rise over any floor under a minute before it
   * (under irregular GC a cache of 276 MB filled across a drop and lifted two floors by 138
   * and 142 MB: one-off steps, 400 tuning seed-weeks, 2 alarms, none with this), the floors
   * still climb (floorsStillClimb), and the series has been watched for CLIMB_WATCH_CYCLES
   * of the longest GC cycle. The stop checks hold the leak to the excess over the climb's
   * age, as the ramp rule's, or over a quarter hour where the climb is older (see
   * reportClimb); see climbRate for the rate stated. Sets the verdict when so.
   */
  private climbOutgrowsGc(last: number, t: number, collecting: boolean): boolean {
    // A busy series' drops hide between samples (see rampOutgrowsGc).
    const ours = this.current === this.climbReport;
    if (this.config.maxGcCycleMs === 0 || (collecting && !ours)) return false;
    // A process just started has shown a few collections at most, and its biggest drop may
    // be far below what its GC frees: under irregular GC, start-up growth of 87 MB and
    // three short cycles read as a climb 125 MB past any drop, 6 minutes after the start
    // (the first hour of 2,000 tuning seeds per regime: 2 alarms, none with this).
    const { bucketMs, maxGcCycleMs } = this.config;
    if (!ours && (last - this.firstBucket) * bucketMs < CLIMB_WATCH_CYCLES * maxGcCycleMs)
      return false;
    // Within a drop the climb ends at a level the drop has not left yet, and the cycle's
    // floor is not there to say whether the floors still climb: a one-off ramp of 240 MB
    // over 5 minutes was raised again from the floor before it, mid-drop, 5 minutes after
    // it ended, and held for 17 more.
    if (!ours && this.cycles.inDrop()) return false;
    for (const lookbackMs of CLIMB_LOOKBACKS_MS) {
      // The lookback still holds the climb of a leak whose report ended: only floors since
      // its end may raise it again.
      const since = Math.max(t - lookbackMs, this.endedAt);
      const excess = this.cycles.climbExcess(t, since, ONSET_MIN_MS, this.climb);
      // A climb the nearer lookback saw and refused, a farther one may not raise: it
      // holds more of a one-off ramp's floors, at a slower pace the garbage after it keeps.
      if (excess > 0) {
        if (!this.climbPasses(excess, t)) return false;
        this.reportClimb(last, t, excess);
        return true;
      }
      if (since === this.endedAt) break;
    }
    return false;
  }

  /**
   * Whether the climb in `this.climb`, `excess` bytes past the biggest recent drop, passes
   * climbOutgrowsGc's tests.
   */
  private climbPasses(excess: number, t: number): boolean {
    const c = this.climb;
    if (
      excess < CYCLE_FLOOR_MARGIN * this.config.burstGrowth ||
      c.rampV - c.fromV < CLIMB_FLOORS_SHARE * excess ||
      c.largestRise > ONE_CYCLE_SHARE * excess
    )
      return false;
    const seconds = (t - c.fromT) / 1000;
    if (seconds * 1000 < ONSET_MIN_MS) return false;
    const low = excess / seconds;
    return low >= this.config.minSlope && this.floorsStillClimb(c.fromT, c.leftT);
  }

  /** Reports the climb in `this.climb`, `excess` past the biggest drop (see climbPasses). */
  private reportClimb(last: number, t: number, excess: number): void {
    const c = this.climb;
    const low = excess / ((t - c.fromT) / 1000);
    const rate = this.climbRate(last, t, low);
    // The leak began between the floor the others left and the next, as long before the
    // next as that floor's rise takes at the rate stated.
    const began = c.nextT - ((c.nextV - c.leftV) / Math.max(rate[0]!, 1)) * 1000;
    // The stop checks hold it to the excess over the climb's age, up to a quarter hour: a
    // 0.2 MB/s leak's climb over half an hour held it to 0.11 MB/s, a pace the garbage after
    // its stop kept, and the report resumed (tuning seed 2015: resolved 20.5 minutes after
    // the stop; 11.1 so, 12.6 with the quarter-hour lookback alone).
    this.climbReport = this.reportRated(
      c.fromT,
      t,
      rate,
      `over ${c.cycles} GC cycles`,
      c.lastV - c.fromV,
      excess,
      excess / (Math.min(t - c.fromT, ONSET_LOOKBACK_MS) / 1000),
      Math.min(Math.max(c.leftT, began), c.nextT),
    );
  }

  /**
   * Whether the post-GC floors from data time `from` still climb: the newest rose over the
   * last ONSET_MIN_MS or more by at least STOP_SHARE of the pace since they left the
   * lowest, at `left`. A leak keeps lifting them; a step that flattened does not (a one-off
   * step across collections lifted three floors by 40, 65 and 16 MB, then none, and the
   * climb from before it passed the allowance in each flat cycle after).
   */
  private floorsStillClimb(from: number, left: number): boolean {
    const f = this.loggedFloors;
    const m = this.cycles.floorsSince(from, f);
    if (m < 2) return false;
    const end = m - 1;
    let start = 0;
    while (start < end - 1 && f[2 * start]! < left) start++;
    let recent = end - 1;
    while (recent > start && f[2 * end]! - f[2 * recent]! < ONSET_MIN_MS) recent--;
    const pace = (i: number): number =>
      (f[2 * end + 1]! - f[2 * i + 1]!) / Math.max(f[2 * end]! - f[2 * i]!, 1);
    return pace(recent) >= STOP_SHARE * pace(start);
  }

  /**
   * The rate of the leak climbOutgrowsGc found in `this.climb`, [rate, low, high] bytes/s:
   * the larger of the pace of the ramp under way, through which the leak ran, less
   * garbage's, as rampRate reads it, and the floors' pace since they left the lowest. The
   * floors' is low when the leak began after the floor they left from; the ramp's errs
   * either way with this cycle's garbage (tuning seeds, 1 MB/s under irregular GC: median
   * stated over true rate 0.70 with the ramp's alone, 0.85 so). Garbage piled up at a pace
   * of its own in this cycle, which may lie outside the recent cycles' (the corpus's vary
   * threefold): so the interval reaches from `low`, the excess over the climb's age, which
   * the leak surely made, to the ramp's whole pace, leak and garbage.
   */
  private climbRate(last: number, t: number, low: number): Float64Array {
    const c = this.climb;
    const whole = Math.max(low, ((c.lastV - c.rampV) / Math.max(c.lastT - c.rampT, 1)) * 1000);
    const rate = this.rampRate(c.rampT, last, t, low, whole, true);
    rate[1] = low;
    rate[2] = Math.max(rate[2]!, whole);
    const floors = ((c.rampV - c.leftV) / Math.max(c.rampT - c.leftT, 1)) * 1000;
    rate[0] = Math.min(rate[2], Math.max(rate[1], floors, rate[0]!));
    return rate;
  }

  /**
   * The leak's rate in a ramp that outgrew its GC cycle, [rate, low, high] bytes/s, and
   * when it began, [3] (data time: the break, or `from` when the ramp did not steepen): the
   * ramp's pace since it last steepened (hingeFit on its bucket floors, buckets from that of
   * `from` to `last`) less the pace garbage piles up at. That is the pace before the break
   * where the ramp plainly steepened there, else the range the recent cycles piled up at
   * (what each freed over its length). The interval adds z standard errors of both; it
   * never reaches below `low`, the excess over the ramp's age, which the leak surely made
   * (with too few floors for a line, it is `low` to `whole`, the rise over the ramp's age).
   * `leakBefore`: the leak ran before the ramp began, so a break in it is no start and the
   * pace before it is no garbage. Reports only: it fits O(n²) over up to RAMP_POINTS floors.
   */
  private rampRate(
    from: number,
    last: number,
    t: number,
    low: number,
    whole: number,
    leakBefore = false,
  ): Float64Array {
    const { z } = this.config;
    const first = Math.max(this.buckets.bucketOf(from), last - RAMP_POINTS + 1);
    let n = 0;
    for (let k = first; k <= last; k++) {
      if (!this.buckets.floor(k, k, this.out)) continue;
      this.rampT[n] = this.out[1]! - from;
      this.rampV[n] = this.out[0]!;
      n++;
    }
    const rate = this.rate;
    const fit = hingeFit(this.rampT, this.rampV, n);
    rate[3] = from;
    // Too few floors for a line (gaps in the data): between the sure pace and the whole rise's.
    if (!Number.isFinite(fit.after.se)) {
      rate[0] = rate[1] = low;
      rate[2] = Math.max(low, whole);
      return rate;
    }
    const after = fit.after.slope * 1000;
    const afterSe = fit.after.se * 1000;
    const before = fit.before;
    let garbage: number;
    let garbageLow: number;
    let garbageHigh: number;
    const steepened =
      !leakBefore &&
      before !== undefined &&
      fit.after.slope - before.slope > z * Math.hypot(fit.after.se, before.se);
    if (steepened) {
      rate[3] = from + fit.breakT;
      garbage = before.slope * 1000;
      garbageLow = garbage - z * before.se * 1000;
      garbageHigh = garbage + z * before.se * 1000;
    } else {
      this.cycles.garbagePaces(t, this.out);
      garbageLow = this.out[0]!;
      garbageHigh = this.out[1]!;
      garbage = (garbageLow + garbageHigh) / 2;
    }
    const lowest = Math.max(low, after - garbageHigh - z * afterSe);
    const highest = Math.max(lowest, after - Math.max(0, garbageLow) + z * afterSe);
    rate[0] = Math.min(highest, Math.max(lowest, after - Math.max(0, garbage)));
    rate[1] = lowest;
    rate[2] = highest;
    return rate;
  }

  /**
   * The heap after GC read only at major GCs minutes apart is a staircase: each reading is
   * a post-GC level, as a cycle floor is, and a leak lifts each by its pace times the gap.
   * Leaking when the last readings, each at least readingGapMs after the one before,
   * rose at every one along a straight line, as cycle floors must (risingFrom), or the last
   * two jumped as cyclesJumping asks of cycle floors: four readings take three gaps of
   * minutes (tuning seeds read every 1.5-8.5 minutes, 5 MB/s: 14.3 minutes median with four
   * alone, 10.0 so). Only on a series declared smooth: RSS changes at every sample. Sets
   * the verdict when so.
   */
  private readingsRising(t: number): boolean {
    if (this.config.maxGcCycleMs !== 0) return false;
    const f = this.readingFloors;
    const n = this.readings.recent(CYCLE_FLOORS, f);
    let run = n - 1;
    while (
      run > 0 &&
      f[2 * run - 1]! < f[2 * run + 1]! &&
      f[2 * run]! - f[2 * run - 2]! >= this.readingGapMs
    )
      run--;
    for (let first = n - RISING_FLOORS; first >= run; first--) {
      if (this.risingFrom(f, first, n, t, true)) return true;
    }
    return n - 3 >= run && this.cyclesJumping(t, n, true);
  }

  /**
   * Whether floors first..n-1 of `f` read as a leak; sets the verdict when so. `readings`:
   * the floors are a staircase's readings (see readingsRising), which come at no rhythm, so
   * their steps are compared as rates, and a ramp has no bursts to look for. `burstShare`:
   * the largest burst in the floors' ramps may carry at most this share of their rise.
   */
  private risingFrom(
    f: Float64Array,
    first: number,
    n: number,
    t: number,
    readings = false,
    burstShare = ONE_CYCLE_SHARE,
  ): boolean {
    let smallest = Infinity;
    let largest = 0;
    let paces = 0;
    let paceSquares = 0;
    for (let i = first + 1; i < n; i++) {
      const step = f[2 * i + 1]! - f[2 * i - 1]!;
      const pace = step / Math.max(f[2 * i]! - f[2 * i - 2]!, 1);
      const size = readings ? pace : step;
      smallest = Math.min(smallest, size);
      largest = Math.max(largest, size);
      paces += pace;
      paceSquares += pace * pace;
    }
    const rise = f[2 * n - 1]! - f[2 * first + 1]!;
    const spanMs = f[2 * n - 2]! - f[2 * first]!;
    const slope = (rise / Math.max(spanMs, 1)) * 1000;
    const steps = n - 1 - first;
    // Floors hours apart are not a GC rhythm: a one-off step down reads as a drop, and a
    // few steps up after it as rising floors. The windows judge growth that slow.
    const rhythm = readings || spanMs <= GC_RHYTHM_CYCLES * this.config.maxGcCycleMs * steps;
    // A run of floors over burstMs or more has outlasted start-up and a model loading; it
    // needs what a long window needs of growth that may still be load arriving. And a cache
    // filled within seconds is one burst in a ramp, however the drops around it split it:
    // under irregular GC one landed across a drop next to a 15 s cycle and lifted three
    // floors by like amounts, on a line (one-off steps, 400 tuning seed-weeks: 6 alarms
    // before this check, 2 with it).
    const long =
      spanMs >= this.config.burstMs ||
      (spanMs >= LONG_RUN_MS && steps + 1 >= (readings ? LONG_RUN_READINGS : LONG_RUN_FLOORS));
    const longAllowance = YOUNG_GROWTH * this.config.minGrowth;
    const allowance = long ? longAllowance : this.config.burstGrowth;
    // Four cycle floors over LONG_RUN_MS have outlasted start-up as well, but may hold a
    // start-up or a cache that filled in seconds, which their ramps show as bursts.
    const steadyRun = !readings && !long && spanMs >= LONG_RUN_MS && steps + 1 >= STEADY_RUN_FLOORS;
    // One cycle carrying most of the rise is a cache; a reading may carry most of it by
    // coming after a long gap, and the rates and the line tell a cache there.
    const oneCycle = !readings && largest > ONE_CYCLE_SHARE * rise;
    if (
      !rhythm ||
      (rise < CYCLE_FLOOR_MARGIN * allowance && !steadyRun) ||
      spanMs < RISING_MIN_MS ||
      slope < this.config.minSlope ||
      smallest < 0.2 * largest ||
      oneCycle ||
      this.lineFit(f, first, n).worst > LINE_FIT * rise
    ) {
      return false;
    }
    if (!readings) {
      // On a steep ramp the newest floor's sample may stand a ramp step above its
      // collection's level (up to 40 MB where it allocates fast): the rise must pass its
      // allowance without that. Under irregular GC, start-up growth of 88 MB read as 124 MB
      // over three floors, and load arriving (90 MB) as 133 MB over five. Forced GC classes,
      // tuning seed-weeks: 14 alarms in 2,000, 12 with this; on 1,200 more, not looked at
      // until then, 5 and 3.
      const lifted = this.cycles.newestLift();
      // A cache or a model that filled at once lifts the floors by what it added: what
      // they rose besides must pass the allowance (under irregular GC a 105 MB cache and
      // floors that rose 38 and 28 MB by their scatter made four rising by 140 MB). A
      // stepwise leak's steps are bursts too, but of like size: none stands alone.
      const burst = this.cycles.largestBurst(f[2 * first]!);
      const bursts = this.cycles.burstsSince(f[2 * first]!);
      const grew =
        rise - lifted - loneBurst(burst, bursts) >= CYCLE_FLOOR_MARGIN * allowance ||
        (steadyRun && rise - lifted - bursts >= STEADY_RUN_MARGIN * longAllowance);
      if (!grew || burst > burstShare * rise) return false;
    }
    paceInterval(slope, gapSpread(steps, paces, paceSquares), steps, this.rate);
    const what = readings ? "readings (one per major GC)" : "GC cycles";
    return this.reportFloors(
      f[2 * first]!,
      t,
      slope,
      this.rate[0]!,
      this.rate[1]!,
      () =>
        `post-GC floor rose after each of the last ${steps} ${what}, ${MB(rise)} MB in ${spanOfTime(spanMs)} (${MBps(slope)} MB/s)`,
    );
  }

  /**
   * Reports a climb that outgrew every recent collection (the ramp and climb rules): it
   * rose `rise` bytes from data time `from` (`over`: since when, in words), `excess` past
   * the biggest drop, at `rate` ([rate, low, high] bytes/s); the stop checks hold it to
   * `pace`, and it began at `stated`. Returns the verdict.
   */
  private reportRated(
    from: number,
    t: number,
    rate: Float64Array,
    over: string,
    rise: number,
    excess: number,
    pace: number,
    stated: number,
  ): Verdict {
    this.reportFloors(
      from,
      t,
      rate[0]!,
      rate[1]!,
      rate[2]!,
      () =>
        `memory rose ${MB(rise)} MB in ${spanOfTime(t - from)} ${over}, ${MB(excess)} MB more than any recent collection freed: growth no GC explains`,
      pace,
      stated,
    );
    return this.current;
  }

  /**
   * Reports a leak seen in floors from data time `from` up to `t`, keeping an earlier
   * `since` while the leak goes on; returns true. The stop checks hold it to `pace` and
   * count its age from `from`; the verdict states `slope` and, as its `since`, `stated`.
   */
  private reportFloors(
    from: number,
    t: number,
    slope: number,
    slopeLow: number,
    slopeHigh: number,
    why: () => string,
    pace = slope,
    stated = from,
  ): true {
    this.current = new Verdict(
      {
        leaking: true,
        slope,
        slopeLow,
        slopeHigh,
        since: Math.min(this.current.since ?? Infinity, stated),
        windowMs: Math.round(t - from),
      },
      why,
      pace,
      Math.min(this.current.start ?? Infinity, from),
    );
    return true;
  }

  /**
   * A leak under fast GC, or on a smooth series, shows at once as floors that have climbed
   * steadily from where growth began: leaking when the floors of the last quarter hour rose
   * from their lowest by more than start-up adds, along a straight line (start-up growth and
   * load flatten and bend it), with no two neighbouring floors carrying most of it (a cache
   * fills at once). Blocks are one GC horizon long, so this works only while GC runs often.
   * Sets the verdict and returns true when so.
   */
  private risingSinceOnset(last: number, horizon: number, t: number, busy: boolean): boolean {
    // A ramp on a series with no GC rhythm seen may be one GC cycle (the first, or the
    // first after idle): only a rhythm, a series declared smooth, or a busy one (see
    // judge) rules that out.
    if (!busy && this.config.maxGcCycleMs > 0 && !this.cycles.rhythmKnown(t)) return false;
    const f = this.onsetFloors;
    const n = this.fillOnsetFloors(last, horizon);
    if (n < 0) return false;
    // Quiet series end here: no floor lies far enough below the last one.
    let lowest = Infinity;
    for (let i = 0; i < n; i++) lowest = Math.min(lowest, f[2 * i + 1]!);
    let needed = ONSET_MARGIN * this.config.burstGrowth;
    if (f[1]! - lowest < needed) return false;
    // A busy series' floors scatter by tens of MB: the rise must stand clear of that too,
    // and so must each step of a staircase, on any series.
    const scatter = this.floorScatter(n);
    if (busy) {
      needed += ONSET_SCATTERS * scatter;
      if (f[1]! - lowest < needed) return false;
    }
    // Growth began at some floor: the nearest one from which the rest read as a leak.
    for (let onset = ONSET_FLOORS - 1; onset < n; onset++) {
      if (this.leakSinceOnset(onset, needed, scatter, horizon, t)) return true;
    }
    return false;
  }

  /**
   * Fills the onset floors with floors of whole horizons over the lookback, ending with
   * bucket `last`, newest first; returns how many, or -1 when the horizon is too long for
   * enough of them or the data has gaps.
   */
  private fillOnsetFloors(last: number, horizon: number): number {
    const f = this.onsetFloors;
    const count = Math.floor(ONSET_LOOKBACK_MS / this.config.bucketMs / horizon);
    if (count < 2 * ONSET_FLOORS || 2 * count > f.length) return -1;
    let n = 0;
    for (let to = last; n < count && to - horizon + 1 >= this.firstBucket; to -= horizon) {
      if (!this.buckets.floor(to - horizon + 1, to, this.out)) return -1;
      f[2 * n] = this.out[1]!;
      f[2 * n + 1] = this.out[0]!;
      n++;
    }
    return n;
  }

  /**
   * The scatter (sd) of one of the n onset floors, from the spread of the steps between
   * neighbours about their median: a steady climb moves every step alike, noise does not.
   */
  private floorScatter(n: number): number {
    const f = this.onsetFloors;
    const steps = this.onsetSteps.subarray(0, n - 1);
    for (let i = 0; i + 1 < n; i++) steps[i] = f[2 * i + 1]! - f[2 * i + 3]!;
    const middle = median(steps);
    for (let i = 0; i < steps.length; i++) steps[i] = Math.abs(steps[i]! - middle);
    // MAD to sd; a step is the difference of two floors, so its spread is √2 of one.
    return (1.4826 * median(steps)) / Math.SQRT2;
  }

  /**
   * Whether onset floors onset..0 (newest first) read as a leak, given the scatter of one
   * floor of `horizon` buckets; sets the verdict when so.
   */
  private leakSinceOnset(
    onset: number,
    needed: number,
    scatter: number,
    horizon: number,
    t: number,
  ): boolean {
    const f = this.onsetFloors;
    const rise = f[1]! - f[2 * onset + 1]!;
    const spanMs = f[0]! - f[2 * onset]!;
    if (rise < needed || spanMs < ONSET_MIN_MS || (rise / spanMs) * 1000 < this.config.minSlope)
      return false;
    for (let i = 0; i + 2 <= onset; i++) {
      if (f[2 * i + 1]! - f[2 * i + 5]! > ONE_CYCLE_SHARE * rise) return false;
    }
    const { worst, slopeSe, fitSlope } = this.lineFit(f, 0, onset + 1);
    // The line's rise, not only the end floors': a noisy onset floor and a noisy last one
    // read a straight 100 MB start-up as 110-113 MB (3 of 300 with one-bucket floors).
    const lineRise = climbOf(fitSlope, spanMs);
    // A staircase strays from its line by up to half a step, and the line from the floor
    // before its first step to the floor after its last rises a step less than they do.
    const strays = worst - LINE_FIT * rise;
    const stair =
      strays > 0 || lineRise < needed ? this.likeSteps(onset, rise, scatter) : undefined;
    const stepMB = stair?.largest ?? 0;
    if (strays > STAIR_SLACK * stepMB || lineRise + stepMB < needed) return false;
    const slope = (rise / spanMs) * 1000;
    // A staircase's last tread is as flat as a stop: it must have climbed since a
    // stopped-growth block back, or floors that stood still for minutes after a stepwise
    // leak's last step read as one more tread and kept it reported (5-20 minutes longer).
    if (stair && !this.stillClimbs(onset, slope, scatter, horizon)) return false;
    const floors = onset + 1;
    const { z } = this.config;
    // The stop checks hold the leak to the climb from the onset floor; the rate stated is
    // read without it. A staircase's is its pace from the first step to the last: over the
    // span from the floor before the first, three steps read as 1.5 times their pace. A
    // straight climb's is the line through the floors after the onset one, which may lie
    // before growth began (5 MB/s on a smooth series read as 4.6).
    let rate: number, low: number, high: number;
    if (stair) {
      rate = stair.between;
      paceInterval(rate, stair.gapCv, stair.steps - 1, this.rate);
      low = this.rate[0]!;
      high = this.rate[1]!;
    } else {
      const since = onset >= 3 ? this.lineFit(f, 0, onset) : { fitSlope: slope, slopeSe };
      rate = since.fitSlope;
      low = Math.max(0, rate - z * since.slopeSe);
      high = rate + z * since.slopeSe;
    }
    return this.reportFloors(
      f[2 * onset]!,
      t,
      rate,
      low,
      high,
      () =>
        `floor rose ${MB(rise)} MB in ${spanOfTime(spanMs)} (${MBps(rate)} MB/s, ${MBps(low)} to ${MBps(high)}) ${stair ? `in ${stair.steps} like-sized steps` : "along a straight line"} over ${floors} floors, more than start-up adds`,
      slope,
    );
  }

  /**
   * Whether onset floors onset..0 still climb: the newest stands at least half of what
   * `slope` promises above the newest floor a stopped-growth block back (true when the
   * onset is more recent than that).
   */
  private stillClimbs(onset: number, slope: number, scatter: number, horizon: number): boolean {
    const f = this.onsetFloors;
    const blockMs = this.climbBlock(slope, scatter, horizon) * this.config.bucketMs;
    for (let i = 1; i <= onset; i++) {
      const ms = f[0]! - f[2 * i]!;
      if (ms >= blockMs) return !fellShort(f[1]! - f[2 * i + 1]!, slope, ms);
    }
    return true;
  }

  /**
   * The like-sized steps onset floors onset..0 climbed by `rise` in, how many and the
   * largest, when they make a staircase (at least STAIR_STEPS). A step is a climb of over
   * LINE_FIT of the rise, and over STAIR_SCATTERS (SMOOTH_STAIR_SCATTERS) times one floor's
   * `scatter`, between two neighbouring floors, or two in a row. Looked at only when a
   * straight climb did not fit, so it may allocate.
   */
  private likeSteps(onset: number, rise: number, scatter: number): Stair | undefined {
    const f = this.onsetFloors;
    const smooth = this.config.maxGcCycleMs === 0;
    const stepOver = (smooth ? SMOOTH_STAIR_SCATTERS : STAIR_SCATTERS) * scatter;
    const high = Math.max(LINE_FIT * rise, stepOver);
    let steps = 0;
    let smallest = Infinity;
    let largest = 0;
    let climbed = 0; // by all the steps
    let firstStep = 0;
    let firstAt = NaN;
    let lastAt = NaN;
    let gapSquares = 0; // of the gaps between steps, ms²
    let step = 0;
    let floors = 0; // in the step under way
    for (let i = onset - 1; i >= -1; i--) {
      const up = i >= 0 ? f[2 * i + 1]! - f[2 * i + 3]! : 0;
      // A step under way goes on while the floor still climbs by half that.
      if (up > high || (step > 0 && up > 0.5 * high)) {
        step += up;
        floors++;
      } else if (step > 0) {
        // A leak's step lands between two floors, or straddles one; a climb over more is
        // a cache filling (three or four single-bucket floors), or a ramp.
        if (floors > STEP_FLOORS) return undefined;
        // The step ended at the floor after it: that floor's time is the step's.
        const at = f[2 * (i + 1)]!;
        if (steps > 0) gapSquares += (at - lastAt) ** 2;
        lastAt = at;
        if (steps === 0) {
          firstAt = lastAt;
          firstStep = step;
        }
        steps++;
        smallest = Math.min(smallest, step);
        largest = Math.max(largest, step);
        climbed += step;
        step = 0;
        floors = 0;
      }
    }
    // A ramp whose noisy floors jump now and then climbs between the jumps too.
    const carried = climbed >= STAIR_CARRIES * rise;
    return steps >= STAIR_STEPS && smallest >= STAIR_LIKE * largest && carried
      ? {
          steps,
          largest,
          between: ((climbed - firstStep) / (lastAt - firstAt)) * 1000,
          gapCv: gapSpread(steps - 1, lastAt - firstAt, gapSquares),
        }
      : undefined;
  }

  /**
   * How far floors first..n-1 of [t0, v0, t1, v1, ...] stray from their least-squares line,
   * at most (a leak lifts them at a steady rate; a one-off step or growth that flattens
   * bends them), and that line's slope and its standard error, bytes/s (only stated, never
   * tested against).
   */
  private lineFit(
    f: Float64Array,
    first: number,
    n: number,
  ): { worst: number; slopeSe: number; fitSlope: number } {
    // Times from the first floor: days of milliseconds squared would cost precision.
    const points: [number, number][] = [];
    for (let i = first; i < n; i++) points.push([f[2 * i]! - f[2 * first]!, f[2 * i + 1]!]);
    const { m, b } = linearRegression(points);
    let tMean = 0;
    for (const [t] of points) tMean += t / points.length;
    let worst = 0;
    let squares = 0;
    let spread = 0;
    for (const [t, v] of points) {
      const r = v - (m * t + b);
      worst = Math.max(worst, Math.abs(r));
      squares += r * r;
      spread += (t - tMean) ** 2;
    }
    // Floors wander (fragmentation, caches) and lie on one side of the line for minutes, so
    // many floors know the slope little better than the two at its ends: the error is
    // taken as no smaller than that of the rise between two independent floors.
    const span = Math.abs(points[points.length - 1]![0] - points[0]![0]);
    const variance = points.length > 2 ? squares / (points.length - 2) : 0;
    const slopeSe =
      spread > 0 && span > 0
        ? Math.max(Math.sqrt(variance / spread), Math.sqrt(2 * variance) / span)
        : 0;
    return { worst, slopeSe: slopeSe * 1000, fitSlope: m * 1000 };
  }

  /**
   * A fast leak under slow GC: the post-GC floor jumped at each of the last two cycles by
   * more than twice what a cache or a model adds at once, by like amounts, over at least two
   * minutes (readings: one). A one-off step jumps once; this needs two in a row. Waiting
   * for the four floors cyclesRising wants would take half an hour when GC runs every ten
   * minutes. `readings`: the floors are readings at major GCs (see readingsRising), which
   * come at no rhythm, so their jumps are compared as paces, over gaps of
   * READING_JUMPS_MIN_MS to READING_JUMPS_MS in all, and the first may hold the leak's
   * start (LEAK_START_SHARE).
   */
  private cyclesJumping(t: number, n: number, readings = false): boolean {
    if (n < 3) return false;
    const f = readings ? this.readingFloors : this.cycleFloors;
    const first = n - 3;
    const a = f[2 * first + 3]! - f[2 * first + 1]!;
    const b = f[2 * first + 5]! - f[2 * first + 3]!;
    const spanMs = f[2 * first + 4]! - f[2 * first]!;
    const big = FAST_JUMP * this.config.burstGrowth;
    // Two cycles in a row span at most two of the longest GC cycle the tracker accepts;
    // floors further apart are a gap in the rhythm, and two steps hours apart are not a leak.
    const maxSpanMs = readings ? READING_JUMPS_MS : 2 * GC_RHYTHM_CYCLES * this.config.maxGcCycleMs;
    // A reading's jump may hold a leak's start mid-gap (LEAK_START_SHARE).
    const firstBig = readings ? this.config.burstGrowth : big;
    const minSpanMs = readings ? READING_JUMPS_MIN_MS : RISING_MIN_MS;
    if (a < firstBig || b < big || spanMs < minSpanMs || spanMs > maxSpanMs) return false;
    const paceA = a / Math.max(f[2 * first + 2]! - f[2 * first]!, 1);
    const paceB = b / Math.max(f[2 * first + 4]! - f[2 * first + 2]!, 1);
    // Like jumps: by size between cycles, by pace between readings, which come at no rhythm.
    const x = readings ? paceA : a;
    const y = readings ? paceB : b;
    const slowerFirst = readings ? LEAK_START_SHARE : 0.5;
    if (x < slowerFirst * y || y < 0.5 * x) return false;
    // A first reading under half the second's pace held the leak's start: the time before
    // it would dilute the rate (5 MB/s was stated at 0.82 of its rate at the median), so the
    // second's pace is the rate, and the start is where the first jump began at that pace.
    const started = readings && paceA < 0.5 * paceB;
    const since = started ? f[2 * first + 2]! - a / paceB : f[2 * first]!;
    const rise = a + b;
    const slope = started ? paceB * 1000 : (rise / spanMs) * 1000;
    if (slope < this.config.minSlope) return false;
    paceInterval(slope, gapSpread(2, paceA + paceB, paceA ** 2 + paceB ** 2), 2, this.rate);
    // Jumps that came as bursts are two steps, and two steps say little of the pace of the
    // steps to come: a leak in 290 MB steps at 1 MB/s, two of them 3 minutes apart, read
    // as 3.3 MB/s. Their interval is that of a rate counted from two events; so is that of
    // two readings' jumps, which cannot show whether they came as steps.
    const steps =
      !readings && this.cycles.largestBurst(f[2 * first]!) > JUMP_BURST_SHARE * Math.min(a, b);
    if (steps || readings) {
      this.rate[0] = slope * TWO_EVENTS[0];
      this.rate[1] = slope * TWO_EVENTS[1];
    }
    return this.reportFloors(
      f[2 * first]!,
      t,
      slope,
      this.rate[0]!,
      this.rate[1]!,
      () =>
        `post-GC floor jumped ${MB(a)} then ${MB(b)} MB at the last two ${readings ? "readings (one per major GC)" : "GC cycles"}${steps ? ", each in a step" : ""}, in ${spanOfTime(spanMs)} (${MBps(slope)} MB/s${started ? " over the last gap" : ""})`,
      slope,
      since,
    );
  }

  /**
   * A cache filled or a model loaded rises within a block or two; a leak spreads its
   * growth over the window. True when two neighbouring floors span over 60 % of the rise.
   */
  private oneJump(n: number, slope: number): boolean {
    const rise = slope * (this.pt[n - 1]! - this.pt[0]!);
    for (let i = 0; i + 2 < n; i++) {
      if (this.pv[i + 2]! - this.pv[i]! > 0.6 * rise) return true;
    }
    return false;
  }

  /**
   * Long windows keep a stopped leak in view for a long time; the floors of the last GC
   * cycles, or else the last two recent blocks, say at once whether the floor still climbs
   * as fast as the window claims. The blocks grow for slow leaks until that climb stands
   * well above the floors' scatter, and a reported leak ends by them only when the stop has
   * been seen for half a block, so a slow leak does not flap.
   */
  private stalled(
    w: WindowState,
    last: number,
    horizon: number,
    t: number,
    collecting: boolean,
  ): boolean {
    const horizonMs = horizon * this.config.bucketMs;
    // The ramp and the last cycle end a report, or keep a window from raising one just
    // ended; a fresh climb they may not hold back: a stepwise leak's ramp stands still
    // between steps before its floors show that it comes in steps.
    const report = this.reportInView(t);
    const quick = report ? this.stopShows(w.slope, report.start, last, t, horizonMs) : undefined;
    // A leak whose steps go on has not stopped, however still its floors stand between them.
    const rose =
      report && this.stepsGoOn
        ? undefined
        : (quick ??
          this.cycleClimb(w, t, horizonMs) ??
          this.recentClimb(w, last, horizon, collecting));
    if (rose === undefined) {
      this.stallFirst = NaN;
      return false;
    }
    // To end a leak already reported, the stop must persist a while: one look is fooled by
    // floors that wander. One look is enough to keep a flattened climb from raising one.
    if (Number.isNaN(this.stallFirst)) this.stallFirst = last;
    if (this.current.leaking && last - this.stallFirst < rose.persist * STALL_PERSIST) return false;
    const { slope, spanMs } = w;
    w.reason = () =>
      `floor slope ${MBps(slope)} MB/s over ${spanOfTime(spanMs)}, but ${stallWords(rose)}: growth has stopped`;
    return true;
  }

  /**
   * Whether the floor still climbs at half the reported slope, though no window nor floor
   * rule says "leak" now: a window's trend drops in and out of significance with the noise,
   * and a floor rule's evidence leaves its lookback, while the leak goes on. One look that
   * finds the climb short ends it: by the cycle floors when they can tell (from one cycle
   * back: a held leak has had its two cycles of evidence, and under GC every 5-10 minutes
   * two cycles back kept a stopped 1 MB/s leak reported 2 minutes longer), else from a
   * block back (as long as the stopped-growth check's, sized by the scatter of the shortest
   * window's floors) to the last horizon, at the pace of `report`: the one reported, or
   * an ended one when asking whether it resumed. Undefined when the series has not changed
   * for half that block (see `STALE_SHARE`): a held report stays, an ended one stays ended.
   */
  private keepsRising(
    last: number,
    horizon: number,
    t: number,
    shortest: WindowState | undefined,
    report: Verdict = this.current,
  ): boolean | undefined {
    const slope = report.pace;
    // A leak younger than the span compared climbed only since it began: a 5 MB/s leak
    // reported 1.2 minutes in by the ramp rule fell "short" over the 5 minutes back to a
    // floor before it, and its alert resolved and fired again.
    const young = t - (report.start ?? -Infinity);
    const cycles = this.cycleRise(slope, t, horizon * this.config.bucketMs, 1);
    if (cycles) return !fellShort(cycles.rose, slope, Math.min(cycles.ms, young));
    const block = this.climbBlock(slope, shortest?.scale ?? 0, horizon);
    if (this.unchangedFor(block)) return undefined;
    const rose = this.floorRise(last, block, Math.min(horizon, block));
    const ms = Math.min(block * this.config.bucketMs, young);
    return rose !== undefined && !fellShort(rose, slope, ms);
  }

  /**
   * With a known GC rhythm, the floor after each drop says at once whether the floor still
   * climbs: a leak lifts it by the slope times the time between. Growth stopped when it
   * rose under half that climb since a floor at least two cycles and three minutes back
   * (a stepwise leak's usual gap). The evidence is whole post-GC levels, so it needs no
   * time to persist.
   */
  private cycleClimb(w: WindowState, t: number, horizonMs: number): Stall | undefined {
    const cycles = this.cycleRise(w.slope, t, horizonMs);
    if (!cycles || !fellShort(cycles.rose, w.slope, cycles.ms)) return undefined;
    return { mb: cycles.rose, ms: cycles.ms, persist: 0 };
  }

  /**
   * The report a stop now seen would end or keep ended: the one under way, or one that
   * ended while the floors may still hold the growth before its stop (within `resumeMs`
   * and the longest GC cycle of its end), or on a series read at major GCs until the next
   * reading (the last still holds the growth before the stop, and readingsRising would
   * raise it again: a stopped 1.9 MB/s leak was, 6.6 minutes after its stop).
   */
  private reportInView(t: number): Verdict | undefined {
    if (this.current.leaking) return this.current;
    const { resumeMs, maxGcCycleMs } = this.config;
    const noNews = maxGcCycleMs === 0 && this.readings.changedAt() <= this.endedAt;
    return noNews || t - this.endedAt <= resumeMs + maxGcCycleMs ? this.ended : undefined;
  }

  /**
   * Whether a steady leak at `pace` has stopped, as the ramp under way or the floor after
   * the last drop shows it at once (see rampStops, and lastLevelStops with CYCLE_STOP), or
   * on a series declared smooth the last reading at a major GC (readingStop): the floors a
   * stopped-growth block apart show it only a cycle or two later under GC every minute or
   * slower. A leak in steps (STEPS_SHARE), whose ramp stands still between steps, is
   * judged by its steps instead (stepsStop, which also says whether they go on:
   * stepsGoOn). Undefined when none tells.
   */
  private stopShows(
    pace: number,
    start: number | undefined,
    last: number,
    t: number,
    horizonMs: number,
  ): Stall | undefined {
    this.stepsGoOn = false;
    if (this.config.maxGcCycleMs === 0) {
      const n = this.readings.recent(CYCLE_FLOORS, this.readingFloors);
      return this.lastLevelStops(this.readingFloors, n, pace, this.readingStop, READING_JUMPS_MS);
    }
    if (!this.cycles.rhythmKnown(t)) return undefined;
    const f = this.cycleFloors;
    const n = this.cycles.recentFloors(CYCLE_FLOORS, f);
    if (n < 2) return undefined;
    const rise = Math.max(0, f[2 * n - 1]! - f[1]!);
    if (this.cycles.burstsSince(f[0]!) > STEPS_SHARE * rise)
      return this.stepsStop(pace, t, Math.max(f[0]!, start ?? -Infinity));
    const fresh = t - f[2 * (n - 1)]! <= horizonMs;
    const maxGapMs = 2 * this.config.maxGcCycleMs;
    return (
      this.rampStops(pace, last, t) ??
      (fresh ? this.lastLevelStops(f, n, pace, CYCLE_STOP, maxGapMs) : undefined)
    );
  }

  /**
   * A leak in steps shows each step at once, as a burst in the ramp, whether or not a
   * collection has shown it in a floor yet; its steps, at its pace, come about every step /
   * pace. So when none has come for STEP_GAPS of that gap, it has stopped, though the last
   * floors may not show its last step yet. Only when the steps since data time `from` (the
   * report's start, as far as the bursts are kept) number STAIR_STEPS or more and carried
   * most of the climb its pace promises up to the last of them (a steady leak's ramps hold
   * a burst now and then, noise or a cache), standing STEP_NOISE times clear of the noise.
   * And only once the pause promises the long-window allowance and spans the
   * stopped-growth check's shortest block, as the other stop checks ask.
   */
  private stepsStop(pace: number, t: number, from: number): Stall | undefined {
    const s = this.steps;
    this.cycles.stepsSince(from, STAIR_LIKE, s);
    const count = s[0]!;
    const total = s[1]!;
    const lastT = s[3]!;
    if (count < STAIR_STEPS || !(pace > 0)) return undefined;
    // NaN (no step, or none counted yet) fails this too.
    if (!(total >= STEPS_SHARE * climbOf(pace, lastT - Math.max(from, s[4]!)))) return undefined;
    const step = total / count;
    if (step < STEP_NOISE * this.cycles.burstOver()) return undefined;
    const quietMs = t - lastT;
    // The gap its pace gives, or the one its steps kept, whichever is longer: a pace read
    // over few steps may be high (1.38 MB/s for steps of 1 MB/s).
    const gapMs = Math.max((step / pace) * 1000, (lastT - s[2]!) / (count - 1));
    this.stepLastT = lastT;
    this.stepsGoOn = quietMs < gapMs;
    if (quietMs < STEP_GAPS * gapMs || quietMs < RECENT_BUCKETS * this.config.bucketMs)
      return undefined;
    if (!this.promisesAllowance(pace, quietMs)) return undefined;
    return { mb: 0, ms: quietMs, persist: 0, step };
  }

  /**
   * Garbage only ever lifts a ramp: while a leak goes on, the ramp under way climbs at least
   * at its pace. So one that climbed under half the pace over its last RECENT_BUCKETS, with
   * no drop in them, shows the stop within minutes of it, whenever the next drop comes.
   * Only where the recent GC cycles are that long (the horizon): under faster GC, minutes
   * with no drop seen hide drops between samples. (Not the kink test of GC faster than the
   * sampling: on a series whose kinks are near its 5 MB it flickered, and a stopped 5 MB/s
   * leak under GC every 5-10 minutes resumed when it did.)
   */
  private rampStops(pace: number, last: number, t: number): Stall | undefined {
    const ms = RECENT_BUCKETS * this.config.bucketMs;
    const first = last - RECENT_BUCKETS;
    if (this.cycles.horizon(t) < ms || !(this.buckets.bucketOf(this.cycles.lastDrop()) < first))
      return undefined;
    if (!this.promisesAllowance(pace, ms) || !this.buckets.floor(first, first + 1, this.out))
      return undefined;
    const from = this.out[0]!;
    if (!this.buckets.floor(last - 1, last, this.out)) return undefined;
    const rose = this.out[0]! - from;
    return fellShort(rose, pace, ms) ? { mb: rose, ms, persist: 0 } : undefined;
  }

  /**
   * The last of `n` post-GC levels [t0, v0, ...] (cycle floors, or readings at major GCs)
   * rose under STEADY_STOP_SHARE of the slowest pace of the `steady` levels before it, whose
   * paces kept within `band` of each other, or, where `halfPace` says, under half of
   * `pace`; and each of those kept at least half of `pace`. Each level came `minGapMs` to
   * `maxGapMs` after the one before, promising the long-window allowance at `pace`, so a
   * level's jitter does not pass for a stop.
   */
  private lastLevelStops(
    f: Float64Array,
    n: number,
    pace: number,
    kind: LevelStop,
    maxGapMs: number,
  ): Stall | undefined {
    if (n < kind.steady + 2) return undefined;
    let slowest = Infinity;
    let fastest = 0;
    for (let i = n - 1; i >= n - 1 - kind.steady; i--) {
      const ms = f[2 * i]! - f[2 * i - 2]!;
      const rose = f[2 * i + 1]! - f[2 * i - 1]!;
      if (ms < kind.minGapMs || ms > maxGapMs || !this.promisesAllowance(pace, ms))
        return undefined;
      if (i === n - 1) continue;
      if (fellShort(rose, pace, ms)) return undefined;
      slowest = Math.min(slowest, rose / ms);
      fastest = Math.max(fastest, rose / ms);
    }
    const ms = f[2 * n - 2]! - f[2 * n - 4]!;
    const rose = f[2 * n - 1]! - f[2 * n - 3]!;
    const even = fastest <= kind.band * slowest && rose < STEADY_STOP_SHARE * slowest * ms;
    return even || (kind.halfPace && fellShort(rose, pace, ms))
      ? { mb: rose, ms, persist: 0 }
      : undefined;
  }

  /**
   * What the cycle floors rose, and over how long, from one at least `back` cycles and
   * three minutes back to the last; undefined when no GC rhythm is known, or `slope` promises a
   * climb under the long-window allowance over that span (floors of single cycles wander
   * by a few MB). A series declared smooth has no cycles: the readings of a staircase (see
   * readingsRising), at least readingGapMs apart, stand for them, from one reading back
   * whatever `back` asks. A reading is a whole post-GC level, and a climb worth the
   * long-window allowance stands far above its noise. Without them, a leak read at major
   * GCs minutes apart was held only by floors the stale-reading guard had to set aside
   * (re-alerts in 600 tuning traces read every 1.5-8.5 minutes: 27, now 20).
   */
  private cycleRise(
    slope: number,
    t: number,
    horizonMs: number,
    back = 2,
  ): { rose: number; ms: number } | undefined {
    if (this.config.maxGcCycleMs === 0) {
      const n = this.readings.recent(CYCLE_FLOORS, this.readingFloors);
      return this.riseBack(this.readingFloors, n, 1, slope, Infinity, this.readingGapMs);
    }
    if (!this.cycles.rhythmKnown(t)) return undefined;
    const f = this.cycleFloors;
    const n = this.cycles.recentFloors(CYCLE_FLOORS, f);
    if (n < 3 || t - f[2 * (n - 1)]! > horizonMs) return undefined;
    return this.riseBack(f, n, back, slope, 2 * this.config.maxGcCycleMs);
  }

  /**
   * What the last of `n` floors [t0, v0, ...] stands above one at least `back` floors and
   * three minutes (a stepwise leak's usual gap) back, and over how long; undefined when that
   * span passes `maxMs`, when `slope` promises a climb under the long-window allowance over
   * it, or when a floor in it came less than `minGapMs` after the one before.
   */
  private riseBack(
    f: Float64Array,
    n: number,
    back: number,
    slope: number,
    maxMs: number,
    minGapMs = 0,
  ): { rose: number; ms: number } | undefined {
    const last = 2 * (n - 1);
    const minMs = RECENT_BUCKETS * this.config.bucketMs;
    let from = n - 1 - back;
    while (from > 0 && f[last]! - f[2 * from]! < minMs) from--;
    if (from < 0) return undefined;
    for (let i = from + 1; i < n; i++) if (f[2 * i]! - f[2 * i - 2]! < minGapMs) return undefined;
    const ms = f[last]! - f[2 * from]!;
    if (ms < minMs || ms > maxMs || !this.promisesAllowance(slope, ms)) return undefined;
    return { rose: f[last + 1]! - f[2 * from + 1]!, ms };
  }

  /**
   * Whether growth at `slope` bytes/s climbs the long-window allowance (or `share` of it)
   * over `ms`: floors wander by a few MB, so a stop or a resumed climb is judged only on
   * climbs that size.
   */
  private promisesAllowance(slope: number, ms: number, share = 1): boolean {
    return climbOf(slope, ms) >= share * this.config.minGrowth;
  }

  /**
   * What the floor rose over the last of two recent blocks, when that is under half the
   * climb the window's slope promises; undefined when it rose that much, or the window is
   * too young to tell. `collecting`: the series kinks as GC faster than the sampling does
   * (see decide).
   */
  private recentClimb(
    w: WindowState,
    last: number,
    horizon: number,
    collecting: boolean,
  ): Stall | undefined {
    // The floors' noise, from neighbouring floors of the lookback where there are enough:
    // their scatter about the window's line is a stepwise leak's steps too, and blocks
    // sized by it grew with the gap between steps (6-9 minutes for steps 4 minutes apart).
    const n = this.fillOnsetFloors(last, horizon);
    const scale = n >= 2 * ONSET_FLOORS ? Math.min(w.scale, this.floorScatter(n)) : w.scale;
    const block = this.climbBlock(w.slope, scale, horizon);
    // Two blocks of growth must fit in the window, or a young leak would look stalled.
    if (block * 4 > Math.round(w.spanMs / this.config.bucketMs)) return undefined;
    // Nor while a reported leak's series has not moved: that is no news of a stop. A
    // climb that flattened may not be raised again from old floors, stale or not.
    if (this.current.leaking && this.unchangedFor(block)) return undefined;
    const ms = block * this.config.bucketMs;
    const smooth = this.config.maxGcCycleMs === 0;
    const promised = this.promisesAllowance(w.slope, ms);
    // To end a reported leak, floors of the last horizon or two say sooner where the floor
    // is now; to keep a climb from being reported, whole blocks' floors, which wander less.
    const stopFloor = collecting && !smooth && !promised ? STOP_HORIZONS * horizon : horizon;
    const h = last - this.reportedAt <= block ? Math.min(stopFloor, block) : block;
    const rose = this.floorRise(last, block, h);
    if (rose === undefined || !fellShort(rose, w.slope, ms)) return undefined;
    const quick =
      smooth && ms <= QUICK_STOP_MAX_MS && rose < QUICK_STOP_SHARE * climbOf(w.slope, ms);
    const plain = this.promisesAllowance(
      w.slope,
      ms,
      block > RECENT_BUCKETS ? 1 : SHORT_BLOCK_SHARE,
    );
    return { mb: rose, ms, persist: quick || plain ? 0 : block };
  }

  /** Whether the series has repeated its last value for `STALE_SHARE` of `block` buckets. */
  private unchangedFor(block: number): boolean {
    return this.lastT - this.readings.changedAt() > STALE_SHARE * block * this.config.bucketMs;
  }

  /**
   * The block (buckets) over which the stopped-growth checks compare floors: at least 3
   * minutes and one GC horizon, and long enough that a climb at `slope` stands four
   * scatters above the noise and a third of the long-window allowance (13 MB) above the
   * floors' slow wander. Floors minutes apart wander by a few MB; with blocks sized by the
   * scatter alone, a 0.01 MB/s leak's promised climb was 6 MB, and the alert resolved and
   * fired again (re-alerts over the 300 tuning traces: 39, 29 with the wander term).
   */
  private climbBlock(slope: number, scale: number, horizon: number): number {
    const climb = Math.max(4 * scale, this.config.minGrowth / WANDER_SHARE);
    const needed = Math.ceil(climb / Math.max(slope, 1e-9) / (this.config.bucketMs / 1000));
    return Math.max(horizon, RECENT_BUCKETS, needed);
  }

  /**
   * What the floor of the last `h` buckets stands above the floor of as many buckets one
   * block earlier; undefined where the data has gaps.
   */
  private floorRise(last: number, block: number, h: number): number | undefined {
    if (!this.buckets.floor(last - h + 1, last, this.out)) return undefined;
    const now = this.out[0]!;
    if (!this.buckets.floor(last - block - h + 1, last - block, this.out)) return undefined;
    return now - this.out[0]!;
  }

  /**
   * The floors of `count` blocks of `block` buckets from bucket `firstBlock` into pt/pv
   * (times from the first block's start, s); returns how many. `held`: a leak is reported,
   * and its floors are each block's lowest sample; otherwise a long block counts from its
   * first post-GC floor (see POST_GC_BLOCK_MS).
   */
  private blockFloors(firstBlock: number, block: number, count: number, held: boolean): number {
    const t0 = firstBlock * this.config.bucketMs;
    const f = this.loggedFloors;
    const fromFloor =
      !held && this.config.maxGcCycleMs > 0 && block * this.config.bucketMs >= POST_GC_BLOCK_MS;
    const m = fromFloor ? this.cycles.floorsSince(t0, f) : 0;
    let k = 0;
    let n = 0;
    for (let j = 0; j < count; j++) {
      const from = firstBlock + j * block;
      const to = from + block - 1;
      let start = from;
      for (; k < m; k++) {
        const at = this.buckets.bucketOf(f[2 * k]!);
        if (at < from) continue;
        if (at <= to) start = at;
        break;
      }
      if (!this.buckets.floor(start, to, this.out)) continue;
      this.pv[n] = this.out[0]!;
      this.pt[n] = (this.out[1]! - t0) / 1000;
      n++;
    }
    return n;
  }

  /**
   * The same blocks' floors from the post-GC floors of the cycles in them (the lowest where
   * a block holds several); a block in which no cycle began has none. Returns how many.
   */
  private cycleBlockFloors(firstBlock: number, block: number, count: number): number {
    const t0 = firstBlock * this.config.bucketMs;
    const f = this.loggedFloors;
    const m = this.cycles.floorsSince(t0, f);
    const blockMs = block * this.config.bucketMs;
    let n = 0;
    let at = -1;
    for (let i = 0; i < m; i++) {
      const j = Math.min(count - 1, Math.floor((f[2 * i]! - t0) / blockMs));
      const time = (f[2 * i]! - t0) / 1000;
      if (j !== at) {
        at = j;
        this.pv[n] = f[2 * i + 1]!;
        this.pt[n] = time;
        n++;
      } else if (f[2 * i + 1]! < this.pv[n - 1]!) {
        this.pv[n - 1] = f[2 * i + 1]!;
        this.pt[n - 1] = time;
      }
    }
    return n;
  }

  /**
   * `busyRamp`: a young ramp on a busy series, of which short windows ask more (see judge).
   * `byCycles`: the floors are the GC cycles' (cycleBlockFloors), not the blocks' own.
   */
  private judgeWindow(
    w: WindowState,
    last: number,
    block: number,
    count: number,
    busyRamp: boolean,
    byCycles: boolean,
  ): void {
    const firstBlock = last - count * block + 1;
    const held = this.current.leaking;
    w.valid = false;
    w.leaking = false;
    if (count < MIN_POINTS || firstBlock < this.firstBucket) return;
    const t0 = firstBlock * this.config.bucketMs;
    const n = byCycles
      ? this.cycleBlockFloors(firstBlock, block, count)
      : this.blockFloors(firstBlock, block, count, held);
    // Gaps in the data (a paused process) leave too few witnesses to judge; blocks that
    // saw no GC drop have no post-GC floor to give.
    if (n < (byCycles ? MIN_POINTS : Math.max(MIN_POINTS, Math.ceil(count * 0.75)))) return;
    w.valid = true;
    const trend = trendTest(
      this.pt,
      this.pv,
      n,
      this.config.z,
      this.scratch,
      HOLD_LEVEL * this.config.z,
    );
    w.slope = trend.slope;
    w.slopeLow = trend.slopeLow;
    w.slopeHigh = trend.slopeHigh;
    w.scale = trend.scale;
    // What the floors actually rose, not the line's extrapolation: a ramp that flattened
    // mid-window (load arriving, start-up) draws a line steeper than its rise.
    let lowest = Infinity;
    let highest = -Infinity;
    for (let i = 0; i < n; i++) {
      lowest = Math.min(lowest, this.pv[i]!);
      highest = Math.max(highest, this.pv[i]!);
    }
    // Less three times the floors' scatter about the line: noise alone widens the highest minus
    // the lowest, and a ramp that flattened scatters more about a line than a leak does.
    const rose = highest - lowest - 3 * trend.scale;
    const long = w.spanMs >= this.config.burstMs;
    const extrapolated = climbOf(trend.slope, w.spanMs);
    const growth = Math.min(extrapolated, rose);
    // Growth began about where the fitted line leaves the lowest floor of the window.
    let intercept = Infinity;
    for (let i = 0; i < n; i++)
      intercept = Math.min(intercept, this.pv[i]! - trend.slope * this.pt[i]!);
    const began =
      t0 + (trend.slope > 0 ? Math.max(0, (lowest - intercept) / trend.slope) : 0) * 1000;
    // Growth younger than burstMs in a long window may still be load arriving
    // (ARRIVING_GROWTH), and a long window may see a one-off step and its floors' chance
    // drift about it (YOUNG_GROWTH). Once a leak is reported, a window keeps it on less:
    // young growth on YOUNG_GROWTH, and one of STAIRCASE_MS or more on the long-window
    // allowance itself, as the trend test keeps it at HOLD_LEVEL.
    const young = (last + 1) * this.config.bucketMs - began < this.config.burstMs;
    const staircase = w.spanMs >= STAIRCASE_MS;
    let longShare = YOUNG_GROWTH;
    if (held && staircase) longShare = 1;
    else if (!held && young) longShare = ARRIVING_GROWTH;
    // (Cycle floors are single samples: see BY_CYCLES_MIN_MS.)
    let allowance = !long
      ? busyRamp || byCycles
        ? ONSET_MARGIN * this.config.burstGrowth + ONSET_SCATTERS * trend.scale
        : this.config.burstGrowth
      : longShare * this.config.minGrowth;
    // Too few floors for the test's level (WEAK_WINDOW_BURSTS).
    const few = trend.weak || (byCycles && n < TARGET_POINTS);
    if (few && !staircase && w.spanMs >= WEAK_WINDOW_BURSTS * this.config.burstMs)
      allowance *= WEAK_GROWTH;
    const significant = trend.slopeLow > 0 || (held && trend.slopeLowHeld > 0);
    const { spanMs } = w;
    const { minSlope } = this.config;
    const about = (): string =>
      `floor slope ${MBps(trend.slope)} MB/s (${MBps(trend.slopeLow)} to ${MBps(trend.slopeHigh)}) over ${spanOfTime(spanMs)}`;
    if (trend.slope < minSlope)
      w.reason = () => `${about()}: under the ${MBps(minSlope)} MB/s threshold`;
    else if (!significant) w.reason = () => `${about()}: not a significant trend`;
    else if (growth < allowance)
      w.reason = () =>
        `${about()}: ${MB(growth)} MB is within the ${MB(allowance)} MB a cache or start-up may add`;
    else if (this.oneJump(n, trend.slope))
      w.reason = () => `${about()}: most of it in one jump, not steady growth`;
    else if (trend.stepLike) w.reason = () => `${about()}: one level shift, not steady growth`;
    // Even in a short window: two caches filling minutes apart make three levels too
    // (57 of 200 generated pairs fired on smooth series while only long windows asked).
    else if (trend.twoStepLike) w.reason = () => `${about()}: two level shifts, not steady growth`;
    else if (staircase && trend.threeStepLike)
      w.reason = () => `${about()}: three level shifts, not steady growth`;
    else if (trend.flattened) w.reason = () => `${about()}: growth has stopped`;
    else {
      w.leaking = true;
      w.since = Math.round(began);
      // Its interval is stated at level z; a trend kept only at the lower level says so.
      const kept =
        trend.slopeLow > 0 ? "" : "; kept: significant at the lower level a reported leak needs";
      w.reason = () =>
        `post-GC floor rising ${MBps(trend.slope)} MB/s (${MBps(trend.slopeLow)} to ${MBps(trend.slopeHigh)}) over ${spanOfTime(spanMs)}, ${MB(growth)} MB${kept}`;
    }
  }
}

/**
 * A verdict whose words are built the first time they are read, with the pace the stop
 * checks hold a reported leak to and the start they count its age from: the slope and
 * `since` stated, or for a quick rule's report a lower pace it is sure of and the start of
 * the floors it read (see rampOutgrowsGc).
 */
class Verdict implements LeakVerdict {
  readonly pace: number;
  readonly start: number | undefined;
  readonly leaking: boolean;
  readonly slope: number;
  readonly slopeLow: number;
  readonly slopeHigh: number;
  readonly since: number | undefined;
  readonly windowMs: number;
  #why: (() => string) | undefined;
  #reason = "";

  constructor(
    fields: Omit<LeakVerdict, "reason">,
    why: () => string,
    pace = fields.slope,
    start = fields.since,
  ) {
    this.pace = pace;
    this.start = start;
    this.leaking = fields.leaking;
    this.slope = fields.slope;
    this.slopeLow = fields.slopeLow;
    this.slopeHigh = fields.slopeHigh;
    this.since = fields.since;
    this.windowMs = fields.windowMs;
    this.#why = why;
  }

  get reason(): string {
    if (this.#why) {
      this.#reason = this.#why();
      this.#why = undefined;
    }
    return this.#reason;
  }
}
