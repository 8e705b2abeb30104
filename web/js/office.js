// The office's contact as the public pages show it (the guide's 咨询方式 and every page's
// footer): set by the office for its deployment. The policy text names the office but no
// phone or address, so nothing is guessed: until a value is set here, the pages show a
// marked placeholder (〔待区知识产权局配置〕). Each value is {zh, en}; null keeps the placeholder.
export const OFFICE = {
  phone: null, // e.g. { zh: "010-xxxxxxxx", en: "+86 10 xxxxxxxx" }
  address: null, // e.g. { zh: "北京市门头沟区…", en: "…, Mentougou District, Beijing" }
  hours: null, // e.g. { zh: "工作日 9:00—17:00", en: "Working days 9:00–17:00" }
};
