import { describe, expect, it } from 'vitest';
import { csvFileName } from '../src/download';

describe('CSV download names', () => {
  it('says what, which topic and which period, safe for every file system', () => {
    expect(csvFileName('kcm', '2026-11-01', '2026-11-30', 'paspoort-id')).toBe('loket-kcm-paspoort-id-2026-11-01-tm-2026-11-30.csv');
    expect(csvFileName('kcm', '2026-11-30', '2026-11-30', null)).toBe('loket-kcm-alle-onderwerpen-2026-11-30.csv');
    expect(csvFileName('KCM', '2026-11-01', '2026-11-02', 'Zorg & Welzijn/Jeugd')).toBe('loket-kcm-zorg-welzijn-jeugd-2026-11-01-tm-2026-11-02.csv');
    expect(csvFileName('kcm', '2026-11-01', '2026-11-02', 'Ééntje')).toBe('loket-kcm-eentje-2026-11-01-tm-2026-11-02.csv');
  });
});
