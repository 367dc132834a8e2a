import { AuditLog } from './admin/Audit';
import { CannedReplies } from './admin/Canned';
import { Erasure } from './admin/Erasure';
import { Topics } from './admin/Topics';
import { Users } from './admin/Users';
import { useConsole } from './context';
import { SubNav, useSection } from './SubNav';

const SECTIONS = ['topics', 'users', 'canned', 'erasure', 'audit'] as const;
type Section = (typeof SECTIONS)[number];

/** The administrator's view ("Beheer"): what used to be curl calls. */
export function AdminView() {
  const { t } = useConsole();
  const [section, setSection] = useSection<Section>('admin', SECTIONS);
  const names: Record<Section, string> = {
    topics: t('adminTopics'),
    users: t('adminUsers'),
    canned: t('adminCanned'),
    erasure: t('adminErasure'),
    audit: t('adminAudit'),
  };
  return (
    <div class="admin-view wide-view">
      <h2>{t('adminTitle')}</h2>
      <SubNav label={t('adminTitle')} sections={SECTIONS} current={section} names={names} onChange={setSection} />
      {section === 'topics' && <Topics />}
      {section === 'users' && <Users />}
      {section === 'canned' && <CannedReplies />}
      {section === 'erasure' && <Erasure />}
      {section === 'audit' && <AuditLog />}
    </div>
  );
}
