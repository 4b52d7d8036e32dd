/**
 * tzdata abbreviations (standard, daylight) Go prints for MST in common zones. Intl only knows letters for
 * US zones in en-US; other zones without an entry fall back to tzdata's numeric form ("+03").
 */
const E = (std: string, dst = std): [string, string] => [std, dst];

const ZONES: Record<string, [string, string]> = {};
const add = (abbr: [string, string], names: string[]) => {
  for (const n of names) ZONES[n] = abbr;
};
add(E("EST", "EDT"), [
  "America/New_York",
  "America/Detroit",
  "America/Toronto",
  "America/Indiana/Indianapolis",
  "America/Kentucky/Louisville",
  "US/Eastern",
  "EST5EDT",
]);
add(E("CST", "CDT"), ["America/Chicago", "America/Winnipeg", "US/Central", "CST6CDT"]);
add(E("MST", "MDT"), ["America/Denver", "America/Edmonton", "America/Boise", "US/Mountain", "MST7MDT"]);
add(E("MST"), ["America/Phoenix", "MST"]);
add(E("PST", "PDT"), ["America/Los_Angeles", "America/Vancouver", "America/Tijuana", "US/Pacific", "PST8PDT"]);
add(E("AKST", "AKDT"), ["America/Anchorage", "US/Alaska"]);
add(E("HST"), ["Pacific/Honolulu", "US/Hawaii", "HST"]);
add(E("AST", "ADT"), ["America/Halifax", "Atlantic/Bermuda"]);
add(E("NST", "NDT"), ["America/St_Johns", "Canada/Newfoundland"]);
add(E("GMT", "BST"), ["Europe/London", "GB"]);
add(E("GMT", "IST"), ["Europe/Dublin", "Eire"]);
add(E("WET", "WEST"), ["Europe/Lisbon", "Atlantic/Canary", "Atlantic/Madeira", "WET"]);
add(E("CET", "CEST"), [
  "Europe/Berlin",
  "Europe/Paris",
  "Europe/Madrid",
  "Europe/Rome",
  "Europe/Amsterdam",
  "Europe/Brussels",
  "Europe/Vienna",
  "Europe/Zurich",
  "Europe/Stockholm",
  "Europe/Oslo",
  "Europe/Copenhagen",
  "Europe/Warsaw",
  "Europe/Prague",
  "Europe/Budapest",
  "Europe/Belgrade",
  "Europe/Luxembourg",
  "Europe/Monaco",
  "Europe/Malta",
  "Europe/Zagreb",
  "Europe/Ljubljana",
  "Europe/Bratislava",
  "Europe/Sarajevo",
  "Europe/Skopje",
  "Europe/Tirane",
  "Europe/Andorra",
  "Europe/Gibraltar",
  "Europe/Vaduz",
  "Europe/San_Marino",
  "Europe/Vatican",
  "Europe/Podgorica",
  "Africa/Ceuta",
  "CET",
]);
add(E("EET", "EEST"), [
  "Europe/Athens",
  "Europe/Helsinki",
  "Europe/Kiev",
  "Europe/Kyiv",
  "Europe/Bucharest",
  "Europe/Sofia",
  "Europe/Riga",
  "Europe/Tallinn",
  "Europe/Vilnius",
  "Europe/Chisinau",
  "Africa/Cairo",
  "Asia/Beirut",
  "Asia/Nicosia",
  "Europe/Nicosia",
  "EET",
]);
add(E("EET"), ["Europe/Kaliningrad", "Africa/Tripoli"]);
add(E("MSK"), ["Europe/Moscow", "Europe/Simferopol", "W-SU"]);
add(E("IST"), ["Asia/Kolkata", "Asia/Calcutta"]);
add(E("IST", "IDT"), ["Asia/Jerusalem", "Asia/Tel_Aviv", "Israel"]);
add(E("JST"), ["Asia/Tokyo", "Japan"]);
add(E("KST"), ["Asia/Seoul", "Asia/Pyongyang", "ROK"]);
add(E("CST"), ["Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Taipei", "Asia/Macau", "PRC", "ROC"]);
add(E("HKT"), ["Asia/Hong_Kong", "Hongkong"]);
add(E("PKT"), ["Asia/Karachi"]);
add(E("PST"), ["Asia/Manila"]);
add(E("WIB"), ["Asia/Jakarta", "Asia/Pontianak"]);
add(E("AEST", "AEDT"), [
  "Australia/Sydney",
  "Australia/Melbourne",
  "Australia/Hobart",
  "Australia/Canberra",
  "Australia/ACT",
  "Australia/NSW",
  "Australia/Victoria",
  "Australia/Tasmania",
]);
add(E("AEST"), ["Australia/Brisbane", "Australia/Queensland", "Australia/Lindeman"]);
add(E("ACST", "ACDT"), ["Australia/Adelaide", "Australia/South", "Australia/Broken_Hill"]);
add(E("ACST"), ["Australia/Darwin", "Australia/North"]);
add(E("AWST"), ["Australia/Perth", "Australia/West"]);
add(E("NZST", "NZDT"), ["Pacific/Auckland", "NZ"]);
add(E("SAST"), ["Africa/Johannesburg", "Africa/Maseru", "Africa/Mbabane"]);
add(E("WAT"), ["Africa/Lagos", "Africa/Kinshasa", "Africa/Luanda", "Africa/Douala", "Africa/Algiers", "Africa/Tunis"]);
add(E("CAT"), ["Africa/Maputo", "Africa/Harare", "Africa/Lusaka", "Africa/Khartoum", "Africa/Windhoek"]);
add(E("EAT"), ["Africa/Nairobi", "Africa/Addis_Ababa", "Africa/Dar_es_Salaam", "Africa/Kampala", "Africa/Mogadishu"]);
add(E("GMT"), [
  "Africa/Abidjan",
  "Africa/Accra",
  "Africa/Dakar",
  "Atlantic/Reykjavik",
  "Iceland",
  "GMT",
  "Etc/GMT",
  "Greenwich",
]);
add(E("UTC"), ["Etc/UTC", "Etc/UCT", "UCT", "Universal", "Zulu", "Etc/Universal", "Etc/Zulu"]);

/** The abbreviation for `zone` at an instant with `offset`, given the zone's standard offset that year. */
export function tzAbbrev(zone: string, offset: number, standardOffset: number): string | undefined {
  const e = ZONES[zone];
  if (!e) return undefined;
  // London and Dublin: GMT only at offset 0 (1968-71 kept +1 all year as BST/IST).
  if (e[0] === "GMT" && e[1] !== "GMT") return offset === 0 ? "GMT" : e[1];
  return offset > standardOffset ? e[1] : e[0];
}
