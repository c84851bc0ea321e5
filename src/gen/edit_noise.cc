// Copy edit: OCR-like character noise (copy_edits.h).
#include "gen/copy_edits.h"
#include "gen/text_util.h"

namespace samestory::gen {
namespace {

// What an OCR engine reads for a letter or digit: a look-alike, or nothing ("").
std::string_view Confusion(char c) {
  switch (c) {
    case 'm':
      return "rn";
    case 'd':
      return "cl";
    case 'w':
      return "vv";
    case 'l':
      return "1";
    case '1':
      return "l";
    case 'I':
      return "l";
    case 'O':
      return "0";
    case '0':
      return "O";
    case 'o':
      return "a";
    case 'a':
      return "o";
    case 'e':
      return "c";
    case 'c':
      return "e";
    case 'i':
      return "l";
    case 'S':
      return "5";
    case '5':
      return "S";
    case 'B':
      return "8";
    case '8':
      return "B";
    case 'Z':
      return "2";
    case '2':
      return "Z";
    case 'g':
      return "q";
    case 'h':
      return "b";
    case 'b':
      return "h";
    case 'u':
      return "v";
    case 'n':
      return "h";
    case 't':
      return "f";
    case 'f':
      return "t";
    case 'y':
      return "v";
    case 'E':
      return "F";
    case 'C':
      return "G";
    case 'G':
      return "C";
    case 'D':
      return "O";
    default:
      return "";  // dropped
  }
}

}  // namespace

bool AddNoise(std::string* text, double rate, Rng& rng, std::string* tmp) {
  std::string& out = *tmp;
  out.clear();
  const std::string& in = *text;
  bool changed = false;
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if ((static_cast<unsigned char>(c) & 0x80) || c == '\n' || !rng.Chance(rate)) {
      out.push_back(c);
      continue;
    }
    changed = true;
    if (c == ' ') continue;  // a lost space: two words run together
    if (IsAsciiLower(c) || IsAsciiUpper(c) || IsAsciiDigit(c)) {
      if (rng.Below(8) == 0) {  // an added space: the word split
        out.push_back(c);
        out.push_back(' ');
      } else if (c == 'r' && i + 1 < in.size() && in[i + 1] == 'n') {
        out.push_back('m');
        ++i;
      } else {
        out.append(Confusion(c));
      }
      continue;
    }
    switch (c) {  // punctuation
      case ',':
        out.push_back('.');
        break;
      case '.':
        out.push_back(',');
        break;
      case ';':
        out.push_back(':');
        break;
      case ':':
        out.push_back(';');
        break;
      case '\'':
        out.push_back('`');
        break;
      default:
        break;  // dropped
    }
  }
  text->swap(out);
  return changed;
}

}  // namespace samestory::gen
