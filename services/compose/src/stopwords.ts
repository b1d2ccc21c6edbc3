import { baseLanguage } from './language.js';

/**
 * Function words and very common verbs: they say nothing a picture could
 * show, so an image prompt leaves them out. Small on purpose.
 */
const LISTS: Record<string, string> = {
  en: `a an the and or but if then than so as at by for from in into of off on onto out over to up with without about
    after before under again once there here when where why how what which who whom whose this that these those
    i me my mine we us our you your he him his she her it its they them their is am are was were be been being
    have has had having do does did done doing will would shall should can could may might must not no nor only
    own same too very just also even still yet ever never all any both each few more most other some such
    said says say saying told tell tells asked went go goes going gone came come comes coming got get gets
    made make makes took take takes knew know knows thought think seemed seem looked look looks felt feel
    like upon through across toward towards around until while because though although whether one two
    something nothing anything everything someone nobody everyone thing things way back now really
    every against would lived live lives began begin saw see seen heard hear let put kept keep left right away
    again ago later soon yes oh well another whole much many`,
  es: `el la los las un una unos unas y o pero si de del al a en con sin por para como que qué cuando donde
    yo tú él ella nosotros ellos ellas su sus mi mis tu tus se lo le les me te nos es era fue ser estar estaba
    está han ha había hay muy más menos también ya no sí este esta esto ese esa eso aquel entonces después`,
  fr: `le la les un une des et ou mais si de du au aux à en dans avec sans par pour comme que qui quand où
    je tu il elle nous vous ils elles son sa ses mon ma mes ton ta tes se ce cet cette ces est était été être
    avoir avait a ont ne pas plus très aussi déjà puis alors y lui leur leurs on`,
  de: `der die das den dem des ein eine einen einem einer und oder aber wenn dann als wie zu zum zur von vom mit
    ohne für auf aus in im an am bei nach über unter ich du er sie es wir ihr sein seine ihre mein dein ist war
    waren sind sein hat hatte haben wird wurde nicht kein keine auch schon noch sehr so da dort hier sich man`,
  it: `il lo la i gli le un uno una e o ma se di del della dei delle a al alla in nel nella con senza per come
    che chi quando dove io tu lui lei noi voi loro suo sua suoi mio mia è era sono stato essere ha aveva non
    più molto anche già poi allora si ci ne`,
  pt: `o a os as um uma uns umas e ou mas se de do da dos das ao à em no na nos nas com sem por para como que
    quando onde eu tu ele ela nós eles elas seu sua seus meu minha é era foi ser estar estava tem tinha não
    mais muito também já então lhe`,
  nl: `de het een en of maar als dan van met zonder voor op uit in aan bij naar over onder ik jij je hij zij ze
    wij we hun zijn haar mijn is was waren heeft had hebben niet geen ook al nog zeer zo daar hier zich er`,
  ru: `и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот
    от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был была были него до вас
    нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем
    сам чтобы без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним
    здесь этом один почти мой тем чтобы нее сейчас куда зачем всех никогда можно при наконец два об другой`,
  el: `και το η ο οι τα του της των τον την σε στο στη στον στην με για από που θα να δεν μη ένα μια είναι ήταν
    αυτός αυτή αυτό εγώ εσύ εμείς εσείς αυτοί ως όταν αλλά ή`,
  zh: `的 了 在 是 我 你 他 她 它 们 这 那 有 和 就 不 也 都 而 及 与 着 或 一个 没有 我们 你们 他们 她们 自己 什么
    因为 所以 但是 可是 然后 如果 已经 还 又 很 被 把 给 让 说 会 能 要 去 来 到 对 从 向 上 下 里 中`,
  ja: `の に は を た が で て と し れ さ ある いる も する から な こと として い や など なっ ない この その あの
    ため よう また もの という あり まで られ なる へ か だ これ それ あれ です ます でした 私 彼 彼女 僕`,
  ko: `이 그 저 것 수 등 들 및 에 의 가 을 를 은 는 으로 로 와 과 도 에서 하다 했다 있다 없다 그리고 그러나 하지만 나 너 우리 그녀`,
};

const SETS = new Map<string, Set<string>>(
  Object.entries(LISTS).map(([lang, words]) => [lang, new Set(words.split(/\s+/).filter(Boolean))]),
);

/** True for a function word of the language, and for English ones in any language (mixed text is common). */
export function isStopword(word: string, language: string): boolean {
  const lower = word.toLowerCase();
  return SETS.get(baseLanguage(language))?.has(lower) === true || SETS.get('en')?.has(lower) === true;
}
