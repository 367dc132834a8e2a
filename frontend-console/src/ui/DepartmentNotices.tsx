import { noticesForTopic } from '../departments';
import type { Key } from '../i18n';
import { formatInstant } from '../time';
import { useConsole, useNow } from './context';

/**
 * The reachability notices of the departments behind a topic, worst first: what an agent must
 * know before promising a resident a phone call or a desk visit.
 */
export function DepartmentNotices(props: { topic: string; compact?: boolean; headingLevel?: 3 | 4 }) {
  const { t, lang, departments } = useConsole();
  // re-render every 30 s so that a notice that runs out goes; judge it by the clock of this render
  useNow(30_000);
  const list = noticesForTopic(departments, props.topic, Date.now());
  if (!list.length) return null;
  const Heading = props.headingLevel === 4 ? 'h4' : 'h3';
  return (
    <div class={'dept-notices' + (props.compact ? ' compact' : '')}>
      <Heading class={props.compact ? 'sr-only' : 'dept-notices-title'}>{t('deptNoticesTitle')}</Heading>
      <ul>
        {list.map(({ department, notice }) => (
          <li class={'dept-notice kind-' + notice.kind} data-notice={notice.id}>
            <strong>
              {department}: {t(('kind_' + notice.kind) as Key)}
            </strong>
            {notice.until && <span class="muted"> ({t('untilTime', { time: formatInstant(notice.until, lang) })})</span>}
            <span class="dept-notice-text">{notice.agentText}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
