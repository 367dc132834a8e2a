import { useState } from 'preact/hooks';
import { axisLabels, barHeight, fullDay, hourWindow, niceMax, peakHour, ticks } from '../chart';
import type { HourStats, HourlyStats, TopicStats } from '../protocol';
import { normaliseStats } from '../supervision';
import { addDays, formatDay, isDay } from '../time';
import { amsterdamDate, formatClock } from '../util';
import { useConsole, useId } from './context';
import { SelectField, TextField } from './fields';
import { ColumnHeads, TableScroll } from './table';
import { useResource } from './useResource';

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : `${Math.round(v)}%`;
}
function dur(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : formatClock(v);
}

/** A day's figures: per topic as a table, per hour as two small charts with the same numbers as a table. */
export function Figures() {
  const { t, api, lang, topics } = useConsole();
  const today = amsterdamDate();
  const [dayInput, setDayInput] = useState(today);
  const [day, setDay] = useState(today);
  const [topic, setTopic] = useState('');
  const [dayError, setDayError] = useState<string[]>([]);
  const stats = useResource(
    () => api.get<unknown>(`/api/v1/stats?from=${day}&to=${day}`).then(normaliseStats),
    [day],
    day === today ? 60_000 : undefined,
  );
  const hourly = useResource(
    () => api.get<HourlyStats>(`/api/v1/stats/hourly?date=${day}` + (topic ? '&topic=' + encodeURIComponent(topic) : '')),
    [day, topic],
    day === today ? 60_000 : undefined,
  );
  const show = (value: string) => {
    if (!isDay(value)) {
      setDayError([t('errDate')]);
      return;
    }
    setDayError([]);
    setDayInput(value);
    setDay(value);
  };
  return (
    <>
      <section class="card" aria-labelledby="stats-title">
        <h3 id="stats-title">{t('figuresTitle', { day: formatDay(day, lang) })}</h3>
        <form
          class="stats-form"
          onSubmit={(e) => {
            e.preventDefault();
            show(dayInput);
          }}
          noValidate
        >
          <TextField id="figures-day" type="date" label={t('day')} value={dayInput} max={undefined} errors={dayError} onInput={setDayInput} class="inline-field" />
          <button type="submit" class="secondary">
            {t('show')}
          </button>
          <button type="button" class="secondary" onClick={() => show(addDays(day, -1))}>
            {t('previousDay')}
          </button>
          <button type="button" class="secondary" disabled={day === today} onClick={() => show(today)}>
            {t('today')}
          </button>
        </form>
        {stats.error && <p class="hint">{t('statsUnavailable', { error: stats.error })}</p>}
        {stats.data && !stats.error && <StatsTable rows={stats.data} />}
      </section>
      <section class="card" aria-labelledby="hourly-title">
        <div class="section-head">
          <h3 id="hourly-title">{t('hourlyTitle')}</h3>
          <SelectField id="hourly-topic" label={t('topic')} value={topic} onChange={setTopic} class="inline-field">
            <option value="">{t('allTopics')}</option>
            {topics.map((x) => (
              <option value={x.id}>{x.name}</option>
            ))}
          </SelectField>
        </div>
        {hourly.error && <p class="hint">{t('statsUnavailable', { error: hourly.error })}</p>}
        {hourly.data && !hourly.error && <HourlyCharts hours={fullDay(hourly.data.hours ?? [])} />}
      </section>
    </>
  );
}

function StatsTable(props: { rows: TopicStats[] }) {
  const { t, topicName } = useConsole();
  if (!props.rows.length) return <p class="hint">{t('noFigures')}</p>;
  return (
    <>
      <TableScroll label={t('figuresPerTopic')}>
        <table class="table">
          <ColumnHeads columns={[t('topic'), t('offered'), t('answered'), t('abandoned'), t('callbacks'), t('stillWaiting'), t('callbackRequests'), t('serviceLevel'), t('medianWait'), t('p90Wait'), t('aht'), t('rating')]} />
          <tbody>
            {props.rows.map((r) => (
              <tr>
                <th scope="row">{topicName(r.topic)}</th>
                <td>{r.offered ?? '–'}</td>
                <td>{r.answered ?? '–'}</td>
                <td>{r.abandoned ?? '–'}</td>
                <td>{r.callbacks ?? '–'}</td>
                <td>{r.waiting ?? '–'}</td>
                <td>{r.callbackRequests ?? '–'}</td>
                <td>{pct(r.serviceLevel)}</td>
                <td>{dur(r.medianWaitSeconds)}</td>
                <td>{dur(r.p90WaitSeconds)}</td>
                <td>{dur(r.averageHandleSeconds)}</td>
                <td>{r.averageRating === null || r.averageRating === undefined ? '–' : r.averageRating.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p class="hint small-text">{t('callbackRequestsHint')}</p>
      <p class="hint small-text">{t('waitFiguresHint')}</p>
    </>
  );
}

interface Series {
  label: string;
  cls: string;
  value(h: HourStats): number | null;
}

const CHART_H = 140;
const BAR_W = 10;
const GROUP_GAP = 10;
const LEFT = 44;
const BOTTOM = 22;

/** Grouped bars per hour on a rounded axis; the picture is decoration for the table that follows it. */
function BarChart(props: { title: string; summary: string; hours: HourStats[]; series: Series[]; lang: 'nl' | 'en'; whole?: boolean }) {
  const titleId = useId('chart-title');
  const descId = useId('chart-desc');
  const max = niceMax(Math.max(0, ...props.hours.flatMap((h) => props.series.map((s) => s.value(h) ?? 0))));
  const groupW = props.series.length * BAR_W + GROUP_GAP;
  const width = LEFT + props.hours.length * groupW + 8;
  const height = CHART_H + BOTTOM + 8;
  const values = ticks(max, props.whole);
  const labels = axisLabels(values, props.lang);
  return (
    <figure class="chart">
      <figcaption id={titleId}>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby={titleId} aria-describedby={descId}>
        <desc id={descId}>{props.summary}</desc>
        {values.map((v, i) => {
          const y = 8 + CHART_H - barHeight(v, max, CHART_H);
          return (
            <g class="tick">
              <line x1={LEFT - 4} x2={width} y1={y} y2={y} />
              <text x={LEFT - 6} y={y + 4} text-anchor="end">
                {labels[i]}
              </text>
            </g>
          );
        })}
        {props.hours.map((h, i) => {
          const x0 = LEFT + i * groupW + GROUP_GAP / 2;
          return (
            <g>
              {props.series.map((s, k) => {
                const bh = barHeight(s.value(h), max, CHART_H);
                return <rect class={'bar ' + s.cls} x={x0 + k * BAR_W} y={8 + CHART_H - bh} width={BAR_W - 1} height={bh} />;
              })}
              <text class="hour" x={x0 + (props.series.length * BAR_W) / 2} y={height - 6} text-anchor="middle">
                {h.hour}
              </text>
            </g>
          );
        })}
      </svg>
      <ul class="legend" aria-hidden="true">
        {props.series.map((s) => (
          <li>
            <span class={'swatch ' + s.cls} />
            {s.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}

function HourlyCharts(props: { hours: HourStats[] }) {
  const { t, lang } = useConsole();
  const [start, end] = hourWindow(props.hours);
  const shown = props.hours.filter((h) => h.hour >= start && h.hour <= end);
  const total = props.hours.reduce((sum, h) => sum + h.offered, 0);
  const inMinutes = (v: number | null) => (v === null ? null : v / 60);
  const peak = peakHour(props.hours);
  const volumes: Series[] = [
    { label: t('offered'), cls: 'bar-offered', value: (h) => h.offered },
    { label: t('answered'), cls: 'bar-answered', value: (h) => h.answered },
    { label: t('abandoned'), cls: 'bar-abandoned', value: (h) => h.abandoned },
  ];
  const waits: Series[] = [
    { label: t('medianWait'), cls: 'bar-median', value: (h) => inMinutes(h.medianWaitSeconds) },
    { label: t('p90Wait'), cls: 'bar-p90', value: (h) => inMinutes(h.p90WaitSeconds) },
  ];
  const range = { from: `${start}:00`, to: `${end + 1}:00` };
  return (
    <>
      {total === 0 && <p class="hint">{t('noFigures')}</p>}
      <div class="charts">
        <BarChart title={t('chartVolumes')} summary={
            t('chartVolumesSummary', { ...range, total }) +
            (peak ? ' ' + t('chartPeak', { hour: `${peak.hour}:00–${peak.hour + 1}:00`, count: peak.offered }) : '')
          } hours={shown} series={volumes} lang={lang} whole />
        <BarChart title={t('chartWaits')} summary={t('chartWaitsSummary', range)} hours={shown} series={waits} lang={lang} />
      </div>
      <details class="chart-table">
        <summary>{t('chartAsTable')}</summary>
        <TableScroll label={t('hourlyTable')}>
          <table class="table">
            <caption class="sr-only">{t('hourlyTitle')}</caption>
            <ColumnHeads columns={[t('hour'), t('offered'), t('answered'), t('abandoned'), t('callbacks'), t('stillWaiting'), t('medianWait'), t('p90Wait')]} />
            <tbody>
              {shown.map((h) => (
                <tr>
                  <th scope="row">
                    {String(h.hour).padStart(2, '0')}:00–{String(h.hour + 1).padStart(2, '0')}:00
                  </th>
                  <td>{h.offered}</td>
                  <td>{h.answered}</td>
                  <td>{h.abandoned}</td>
                  <td>{h.callbacks}</td>
                  <td>{h.waiting ?? '–'}</td>
                  <td>{dur(h.medianWaitSeconds)}</td>
                  <td>{dur(h.p90WaitSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </>
  );
}
