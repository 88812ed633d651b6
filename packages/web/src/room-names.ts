/*
 * Suggested room names: four random words and a number, e.g.
 * "QuietOttersSingNearby482". About 31 bits of randomness: unguessable in
 * practice, unlike "test" or "meeting", and still easy to read out loud.
 */

const ADJECTIVES = 'Amber Brave Bright Calm Clever Cosmic Crisp Curious Dancing Eager Fancy Gentle Golden Happy Humble Jolly Kind Lively Lucky Mellow Merry Mighty Nimble Noble Proud Quick Quiet Rapid Rosy Silent Silver Smooth Sunny Swift Tidy Vivid Wandering Warm Wild Witty'.split(' ');
const NOUNS = 'Badgers Bees Comets Cranes Dolphins Eagles Falcons Foxes Gardens Geckos Harbors Herons Islands Kites Lanterns Lemons Lynxes Meadows Moons Otters Owls Pandas Parrots Pebbles Pianos Planets Rivers Robins Rockets Sparrows Stars Tigers Tulips Turtles Valleys Violins Whales Willows Wolves Zebras'.split(' ');
const VERBS = 'Argue Bake Bounce Build Chat Climb Dance Dream Drift Explore Float Gather Glide Hum Juggle Jump Laugh Listen Meet Paint Ponder Race Read Roam Sail Sing Skate Sketch Smile Swim Talk Travel Wander Whisper Wink Write Yodel Zoom Cheer Stroll'.split(' ');
const ADVERBS = 'Boldly Briskly Calmly Cheerfully Daily Gently Gladly Happily Kindly Lazily Loudly Merrily Neatly Nearby Nightly Oddly Openly Politely Proudly Quickly Quietly Rarely Sweetly Swiftly Together Truly Warmly Weekly Wildly Wisely Above Afar Again Ahead Around Outside Today Tonight Upstairs Yearly'.split(' ');

function pick<T>(list: readonly T[], random: number): T {
  return list[random % list.length]!;
}

export function suggestRoomName(): string {
  const random = crypto.getRandomValues(new Uint32Array(5));
  return (
    pick(ADJECTIVES, random[0]!) +
    pick(NOUNS, random[1]!) +
    pick(VERBS, random[2]!) +
    pick(ADVERBS, random[3]!) +
    String(random[4]! % 1000).padStart(3, '0')
  );
}
