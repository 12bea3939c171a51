// class-validator exports the function that fills its messages' tokens only from this internal path.
declare module 'class-validator/cjs/validation/ValidationUtils' {
  export { ValidationUtils } from 'class-validator/types/validation/ValidationUtils';
}
