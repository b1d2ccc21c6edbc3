/**
 * Words that say what a picture of a scene should show: time of day,
 * setting, weather, things in it and the mood. The image prompt names them
 * and the offline illustrator draws from them, so both read the same table.
 * English first, with the commonest forms in a few other languages; words
 * not listed simply add nothing.
 */
export type TimeOfDay = 'day' | 'dawn' | 'dusk' | 'night';
export type Setting =
  | 'sea'
  | 'forest'
  | 'city'
  | 'castle'
  | 'mountain'
  | 'desert'
  | 'field'
  | 'village'
  | 'lake'
  | 'space';
export type Weather = 'rain' | 'snow' | 'storm' | 'fog';
export type Prop =
  | 'fire'
  | 'boat'
  | 'birds'
  | 'lighthouse'
  | 'figure'
  | 'couple'
  | 'flowers'
  | 'moon'
  | 'sun'
  | 'stars'
  | 'tower';
export type Mood = 'calm' | 'joyful' | 'tense' | 'sad' | 'mysterious' | 'romantic';

export interface SceneFeatures {
  time?: TimeOfDay;
  settings: Setting[];
  weather?: Weather;
  props: Prop[];
  mood?: Mood;
}

type Feature =
  | { kind: 'time'; value: TimeOfDay }
  | { kind: 'setting'; value: Setting }
  | { kind: 'weather'; value: Weather }
  | { kind: 'prop'; value: Prop }
  | { kind: 'mood'; value: Mood };

const TIME: Record<TimeOfDay, string> = {
  night:
    'night midnight nighttime dark darkness moonlight moonlit starlight noche nuit nacht notte noite nacht ночь ночью вечер νύχτα 夜 夜晚 晚上 深夜 夜中 밤',
  dusk: 'dusk evening sunset twilight sundown gloaming atardecer crépuscule dämmerung tramonto закат сумерки 黄昏 夕阳 夕方 夕暮れ 노을',
  dawn: 'dawn sunrise daybreak morning amanecer aube morgen alba madrugada рассвет утро 黎明 早晨 朝 夜明け 아침',
  day: 'day noon afternoon daylight sunny midday día jour tag giorno dia день полдень μέρα 白天 中午 昼 낮',
};

const SETTING: Record<Setting, string> = {
  sea: 'sea ocean shore beach coast wave waves harbor harbour port island tide sailor sailed ship mar mer meer mare oceano море океан берег волна θάλασσα 海 大海 海边 海岸 바다',
  forest:
    'forest woods wood woodland tree trees jungle grove pine oak bosque forêt bois wald foresta floresta лес дерево деревья δάσος 森林 树林 树 森 林 木 숲',
  city: 'city town street streets skyline tower building buildings avenue downtown metropolis ciudad ville stadt città cidade город улица πόλη 城市 街 都市 도시',
  castle:
    'castle palace kingdom king queen prince princess knight throne fortress castillo château schloss burg castello castelo замок дворец король королева κάστρο 城堡 宫殿 国王 王子 公主 城 お城 성',
  mountain:
    'mountain mountains peak peaks cliff cliffs hill hills valley cave summit montaña montagne berg berge montagna montanha гора горы скала βουνό 山 山脉 山峰 산',
  desert: 'desert dune dunes oasis camel desierto désert wüste deserto пустыня песок έρημος 沙漠 砂漠 사막',
  field:
    'field fields meadow meadows garden farm prairie grass flowers campo champ wiese prato jardim поле луг сад λιβάδι 田野 草原 花园 野原 庭 들판',
  village:
    'village house houses home cottage hut farmhouse cabin room kitchen door window aldea pueblo casa maison village dorf haus villaggio aldeia деревня дом σπίτι 村 村庄 家 房子 마을 집',
  lake: 'lake river pond stream creek waterfall lago lac fluss fiume rio озеро река λίμνη ποτάμι 湖 河 川 강 호수',
  space:
    'space planet planets galaxy rocket astronaut spaceship cosmos universe orbit espacio espace weltraum spazio космос планета ракета 太空 宇宙 星球 행성',
};

const WEATHER: Record<Weather, string> = {
  rain: 'rain rainy raining rained drizzle downpour lluvia pluie regen pioggia chuva дождь βροχή 雨 下雨 비',
  snow: 'snow snowy snowing snowfall winter frost frozen ice blizzard nieve neige schnee neve снег зима χιόνι 雪 冬 下雪 눈',
  storm:
    'storm stormy thunder lightning tempest gale hurricane tormenta tempête sturm tempesta буря гроза καταιγίδα 暴风雨 雷 嵐 폭풍',
  fog: 'fog foggy mist misty haze smoke niebla brouillard nebel nebbia туман ομίχλη 雾 霧 안개',
};

const PROPS: Record<Prop, string> = {
  fire: 'fire fires flame flames burn burning burned campfire fireplace torch candle dragon fuego feu feuer fuoco fogo огонь пламя φωτιά 火 火焰 불',
  boat: 'boat boats ship ships sail sailboat raft canoe barco bateau boot barca лодка корабль βάρκα 船 小船 배',
  birds:
    'bird birds crow crows raven owl gull gulls eagle dove pájaro oiseau vogel uccello pássaro птица птицы πουλί 鸟 鳥 새',
  lighthouse: 'lighthouse beacon faro phare leuchtturm маяк φάρος 灯塔 灯台 등대',
  figure:
    'man woman boy girl child person figure silhouette keeper traveler traveller stranger hero wanderer he she hombre mujer homme femme mann frau uomo donna мужчина женщина мальчик девочка άντρας γυναίκα 男人 女人 女孩 男孩 少年 少女 남자 여자',
  couple: 'lovers couple together friends embrace kiss amigos amis freunde друзья 恋人 朋友 二人',
  flowers: 'flower flowers rose roses blossom bloom tulip daisy flor fleur blume fiore цветок цветы λουλούδι 花 꽃',
  moon: 'moon lunar luna lune mond луна φεγγάρι 月亮 月光 満月 月夜 달',
  sun: 'sun sunlight sunshine sol soleil sonne sole солнце ήλιος 太阳 日光 太陽 해',
  stars: 'star stars starry constellation estrella étoile stella звезда звёзды αστέρι 星 星星 별',
  tower: 'tower towers spire belfry torre turm башня πύργος 塔 탑',
};

const MOOD: Record<Mood, string> = {
  calm: 'calm quiet peaceful gentle silent serene soft slow tranquil tranquilo calme ruhig calma тихо спокойно 安静 平静 静か',
  joyful:
    'happy joy joyful laughed laughing laughter smile smiled celebrate festival dance danced bright cheerful feliz heureux glücklich felice счастье радость 快乐 高兴 嬉しい 행복',
  tense:
    'fear afraid scared terror danger dangerous ran run chase chased fight fought battle war scream screamed suddenly monster miedo peur angst paura страх опасность 害怕 危险 怖い 공포',
  sad: 'sad sorrow tears cried crying cry grief lonely alone lost mourning goodbye farewell triste traurig грусть слёзы 悲伤 眼泪 悲しい 슬픔',
  mysterious:
    'mystery mysterious secret strange shadow shadows whisper whispered ghost magic magical ancient hidden unknown misterio mystère geheimnis тайна магия 神秘 秘密 魔法 不思議 비밀',
  romantic: 'love loved lover heart romance kissed amor amour liebe amore любовь 爱 愛 恋 사랑',
};

const LEXICON = new Map<string, Feature[]>();

function register(kind: Feature['kind'], table: Record<string, string>): void {
  for (const [value, words] of Object.entries(table)) {
    for (const word of words.split(' ')) {
      const list = LEXICON.get(word) ?? [];
      list.push({ kind, value } as Feature);
      LEXICON.set(word, list);
    }
  }
}
register('time', TIME);
register('setting', SETTING);
register('weather', WEATHER);
register('prop', PROPS);
register('mood', MOOD);

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CJK_KEYS = [...LEXICON.keys()].filter((k) => CJK.test(k));
const HANGUL_KEYS = [...LEXICON.keys()].filter((k) => /\p{Script=Hangul}/u.test(k));
const ENGLISH_ENDINGS = ['s', 'es', 'ing', 'ed', 'y'];
const INFLECTED = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;
/** Listed Russian and Greek words without their last letter (море -> мор), so моря and морем find it. */
const INFLECTED_STEMS = new Map(
  [...LEXICON].filter(([k]) => INFLECTED.test(k) && k.length >= 4).map(([k, v]) => [k.slice(0, -1), v] as const),
);

/** The lexicon's features for one word, trying plain English endings and, where words inflect a lot, short stems. */
export function lookupWord(word: string): readonly Feature[] {
  const lower = word.toLowerCase();
  const exact = LEXICON.get(lower);
  if (exact) return exact;
  for (const ending of ENGLISH_ENDINGS) {
    if (lower.length > ending.length + 2 && lower.endsWith(ending)) {
      const hit = LEXICON.get(lower.slice(0, -ending.length));
      if (hit) return hit;
    }
  }
  // Russian and Greek nouns change their endings (лесу, моря); Latin-script stems would misfire (seat -> sea).
  if (INFLECTED.test(lower)) {
    for (let cut = 1; cut <= 2 && lower.length - cut >= 3; cut++) {
      const hit = LEXICON.get(lower.slice(0, -cut)) ?? INFLECTED_STEMS.get(lower.slice(0, -cut));
      if (hit) return hit;
    }
  }
  // Chinese and Japanese are segmented into compounds (夜空, 大森林) that contain the listed word.
  if (CJK.test(lower)) return CJK_KEYS.filter((key) => lower.includes(key)).flatMap((key) => LEXICON.get(key) ?? []);
  // Korean attaches particles to the noun (바다에서): a listed word at the start, one-syllable ones only before a short particle.
  return HANGUL_KEYS.filter((key) => lower.startsWith(key) && (key.length >= 2 || lower.length <= 2)).flatMap(
    (key) => LEXICON.get(key) ?? [],
  );
}

export function isSceneWord(word: string): boolean {
  return lookupWord(word).length > 0;
}

/** Features of a whole text: the most frequent value of each kind wins; settings and props keep order of mention. */
export function sceneFeatures(words: readonly string[]): SceneFeatures {
  const counts = {
    time: new Map<string, number>(),
    weather: new Map<string, number>(),
    mood: new Map<string, number>(),
  };
  const settings: Setting[] = [];
  const props: Prop[] = [];
  for (const word of words) {
    for (const feature of lookupWord(word)) {
      if (feature.kind === 'setting') {
        if (!settings.includes(feature.value)) settings.push(feature.value);
      } else if (feature.kind === 'prop') {
        if (!props.includes(feature.value)) props.push(feature.value);
      } else {
        const map = counts[feature.kind];
        map.set(feature.value, (map.get(feature.value) ?? 0) + 1);
      }
    }
  }
  return {
    time: mostFrequent(counts.time) as TimeOfDay | undefined,
    settings,
    weather: mostFrequent(counts.weather) as Weather | undefined,
    props,
    mood: mostFrequent(counts.mood) as Mood | undefined,
  };
}

function mostFrequent(map: Map<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [value, n] of map) {
    if (n > bestCount) {
      best = value;
      bestCount = n;
    }
  }
  return best;
}

/** Letter-and-number words of a short text, in order (Intl.Segmenter handles CJK and Thai). */
export function wordsOf(text: string, language = 'en'): string[] {
  const words: string[] = [];
  for (const { segment, isWordLike } of segmenterFor(language).segment(text)) {
    if (isWordLike && /[\p{L}\p{N}]/u.test(segment)) words.push(segment);
  }
  return words;
}

const wordSegmenters = new Map<string, Intl.Segmenter>();
function segmenterFor(language: string): Intl.Segmenter {
  let segmenter = wordSegmenters.get(language);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language, { granularity: 'word' });
    wordSegmenters.set(language, segmenter);
  }
  return segmenter;
}
