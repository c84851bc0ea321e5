// Copy edit: OCR-like character noise (copy_edits.h).
#include "gen/copy_edits.h"
#include "gen/text_util.h"

namespace samestory::gen {

void AddNoise(std::string* text, double rate, Rng& rng, std::string* tmp) {
  std::string& out = *tmp;
  out.clear();
  const std::string& in = *text;
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (!(IsAsciiLower(c) || IsAsciiUpper(c) || IsAsciiDigit(c)) || !rng.Chance(rate)) {
      out.push_back(c);
      continue;
    }
    if (c == 'r' && i + 1 < in.size() && in[i + 1] == 'n') {
      out.push_back('m');
      ++i;
      continue;
    }
    switch (c) {
      case 'm':
        out.append("rn");
        break;
      case 'l':
        out.push_back('1');
        break;
      case '1':
        out.push_back('l');
        break;
      case 'I':
        out.push_back('l');
        break;
      case 'O':
        out.push_back('0');
        break;
      case '0':
        out.push_back('O');
        break;
      case 'o':
        out.push_back('a');
        break;
      case 'a':
        out.push_back('o');
        break;
      case 'e':
        out.push_back('c');
        break;
      case 'c':
        out.push_back('e');
        break;
      case 'i':
        out.push_back('l');
        break;
      case 'S':
        out.push_back('5');
        break;
      case '5':
        out.push_back('S');
        break;
      case 'B':
        out.push_back('8');
        break;
      case 'g':
        out.push_back('q');
        break;
      case 'h':
        out.push_back('b');
        break;
      case 'u':
        out.push_back('v');
        break;
      case 'n':
        out.push_back('h');
        break;
      case 't':
        out.push_back('f');
        break;
      default:
        break;  // dropped
    }
  }
  text->swap(out);
}

}  // namespace samestory::gen
